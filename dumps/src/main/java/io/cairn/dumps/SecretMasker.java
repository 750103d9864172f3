package io.cairn.dumps;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text a tool or driver wrote before it reaches a user, a log or an exception:
 * every occurrence of the known passwords (also as escaped in a {@code .pgpass} or option file, and
 * URL-encoded), and whatever follows {@code password=}, {@code password:},
 * {@code PGPASSWORD=}, {@code REDISCLI_AUTH=} (but not MySQL's {@code using password: YES}) or the password part of a
 * {@code scheme://user:password@host} URL, up to the next white space or quote.
 */
public final class SecretMasker {
    /** What a masked secret is replaced with. */
    public static final String MASK = "******";

    private static final Pattern KEYED = Pattern.compile(
            "(?i)((?:password|passwd|pwd|pgpassword|mysql_pwd|rediscli_auth|requirepass|secret)\\s*[=:]\\s*)"
                    + "(?!(?:YES|NO)\\))(\"[^\"]*\"|'[^']*'|[^\\s,;&\"')]+)");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]+:)([^@\\s]+)(@)");

    private final List<String> secrets;

    private SecretMasker(List<String> secrets) {
        this.secrets = secrets;
    }

    /** A masker for these secrets (empty ones are ignored) and the generic patterns. */
    public static SecretMasker of(Secret... secrets) {
        List<String> values = new ArrayList<>();
        for (Secret s : secrets) {
            if (s != null && !s.isEmpty()) {
                String v = s.reveal();
                values.add(v);
                // the forms the adapters write into password and option files, and URL encoding
                values.add(v.replace("\\", "\\\\").replace(":", "\\:"));
                values.add(v.replace("\\", "\\\\").replace("\"", "\\\""));
                values.add(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        values.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretMasker(values.stream().distinct().toList());
    }

    /** A masker for the password of {@code spec}. */
    public static SecretMasker of(ConnectionSpec spec) {
        return of(spec.password());
    }

    /** {@code text} with every secret replaced by {@link #MASK}; null stays null. */
    public String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        out = replace(KEYED, out, m -> m.group(1) + MASK);
        out = replace(URL_PASSWORD, out, m -> m.group(1) + MASK + m.group(3));
        return out;
    }

    private static String replace(Pattern p, String text, java.util.function.Function<Matcher, String> with) {
        Matcher m = p.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(with.apply(m)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
