package io.cairn.server.snapshot;

import io.cairn.server.secret.SecretBox;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signed, short-lived download links: {@code /downloads/<token>}, where the token carries a browse
 * session id, the paths, the archive format and an expiry time (JSON, deflated, base64url), and is signed with HMAC-SHA256 under a
 * key derived from the server's secret key (purpose {@code download-link}). Whoever holds the link may
 * download exactly those paths until it expires (a few minutes), and only while the session is open;
 * a changed byte, another server's key or a passed expiry makes it worthless.
 */
@Component
class DownloadLinks {

    static final String PURPOSE = "download-link";
    private static final int MAX_GRANT_BYTES = 1 << 20;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretBox secrets;
    private final JsonMapper json = JsonMapper.builder().build();

    DownloadLinks(SecretBox secrets) {
        this.secrets = secrets;
    }

    /**
     * What a link grants.
     *
     * @param session   the browse session id
     * @param paths     normalised snapshot paths
     * @param format    null for a single file as is, else "zip", "tar" or "tar.gz"
     * @param expiresAt epoch seconds after which the link is refused
     */
    record Grant(String session, List<String> paths, String format, long expiresAt) {
    }

    String sign(Grant grant) {
        byte[] payload = deflate(json.writeValueAsBytes(grant));
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(secrets.mac(PURPOSE, payload));
    }

    /** The grant of a token whose signature is valid (expiry not checked here); empty if forged or malformed. */
    Optional<Grant> verify(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        try {
            byte[] payload = DECODER.decode(token.substring(0, dot));
            byte[] signature = DECODER.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, secrets.mac(PURPOSE, payload))) {
                return Optional.empty();
            }
            return Optional.of(json.readValue(new String(inflate(payload), StandardCharsets.UTF_8), Grant.class));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    /** Paths of one folder share long prefixes: compressed, a link for a hundred entries stays a few KiB. */
    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 16);
            byte[] buffer = new byte[4096];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** Inflates a verified payload, at most {@link #MAX_GRANT_BYTES}. */
    private static byte[] inflate(byte[] data) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
            byte[] buffer = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("truncated link payload");
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_GRANT_BYTES) {
                    throw new IllegalArgumentException("link payload too large");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("damaged link payload", e);
        } finally {
            inflater.end();
        }
    }

    static boolean expired(Grant grant, Instant now) {
        return now.getEpochSecond() >= grant.expiresAt();
    }
}
