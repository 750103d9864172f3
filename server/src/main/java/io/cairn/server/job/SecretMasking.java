package io.cairn.server.job;

import java.util.Collection;
import java.util.regex.Pattern;

/** Masks secrets in lines that reach a job's log: known passwords, and values after password-like keys. */
final class SecretMasking {

    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)((?:password|passwd|pwd|secret|token|auth)[\"']?\\s*[=:]\\s*[\"']?)([^\\s\"'&;,]+)");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(://[^:/@\\s]+:)([^@/\\s]+)(@)");

    private SecretMasking() {
    }

    static String mask(String line, Collection<String> secrets) {
        String out = line;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 3) {
                out = out.replace(secret, "******");
            }
        }
        out = KEY_VALUE.matcher(out).replaceAll("$1******");
        return URL_CREDENTIALS.matcher(out).replaceAll("$1******$3");
    }
}
