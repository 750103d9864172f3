package io.cairn.server.snapshot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the values of secret-looking keys in text previews: {@code .env} lines ({@code export
 * API_TOKEN=abc}), {@code key=value} and {@code key: value} files (properties, INI, YAML), and quoted
 * JSON-style keys. A key is secret-looking if its name contains password, passwd, pwd, secret, token,
 * key, credential, auth, private, cert, salt, signature, session, cookie or dsn (any case). Credentials
 * in URLs ({@code postgres://user:pw@host}) and password hashes in database dumps ({@code IDENTIFIED BY
 * PASSWORD '*…'}, {@code ALTER ROLE … PASSWORD 'SCRAM-SHA-256$…'}) are hidden too. A value becomes {@code REDACTED}; the key
 * stays visible so the reader knows it is set. Over-redaction (a key named "monkey") is the safe mistake.
 */
final class SecretRedaction {

    static final String REDACTED = "REDACTED";

    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(pass|pwd|secret|token|key|credential|auth|private|cert|salt|signature|session|cookie|dsn).*");
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "^(\\s*(?:-\\s+)?(?:export\\s+)?[\"']?([A-Za-z0-9_.\\-]+)[\"']?\\s*[:=]\\s*)(\\S.*)?$");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(://[^:/@\\s]+:)([^@/\\s]+)(@)");
    /**
     * Password hashes in database dumps: MySQL's {@code IDENTIFIED BY PASSWORD '*…'}, {@code IDENTIFIED WITH plugin AS
     * '…'}, {@code IDENTIFIED VIA plugin USING '…'} (accounts, also in Cairn's accounts block) and PostgreSQL's
     * {@code ROLE … PASSWORD '…'} (all-databases dumps).
     */
    private static final Pattern DATABASE_PASSWORD = Pattern.compile(
            "(?i)(^(?:CREATE|ALTER)\\s+ROLE\\s.*?\\sPASSWORD\\s+|IDENTIFIED\\s+BY\\s+PASSWORD\\s+"
                    + "|IDENTIFIED\\s+(?:WITH|VIA)\\s+\\S+\\s+(?:AS|USING)\\s+)'[^']*(?:''[^']*)*'");

    private SecretRedaction() {
    }

    /** The text with secret values replaced; how many were replaced. */
    record Result(String text, int redacted) {
    }

    static Result redact(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int count = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher m = ASSIGNMENT.matcher(line);
            String value = m.matches() ? m.group(3) : null;
            if (value != null && SECRET_KEY.matcher(m.group(2)).matches() && !value.equals("|") && !value.equals(">")) {
                // a JSON member keeps its trailing comma
                line = m.group(1) + REDACTED + (value.stripTrailing().endsWith(",") ? "," : "");
                count++;
            } else {
                Matcher url = URL_CREDENTIALS.matcher(line);
                if (url.find()) {
                    line = url.replaceAll("$1" + REDACTED + "$3");
                    count++;
                }
                Matcher hash = DATABASE_PASSWORD.matcher(line);
                if (hash.find()) {
                    line = hash.replaceAll("$1'" + REDACTED + "'");
                    count++;
                }
            }
            out.append(line);
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return new Result(out.toString(), count);
    }
}
