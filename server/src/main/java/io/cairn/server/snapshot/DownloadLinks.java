package io.cairn.server.snapshot;

import io.cairn.server.secret.SecretBox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signed, short-lived download links: {@code /downloads/<token>}, where the token carries a browse
 * session id, the paths, the archive format and an expiry time, and is signed with HMAC-SHA256 under a
 * key derived from the server's secret key (purpose {@code download-link}). Whoever holds the link may
 * download exactly those paths until it expires (a few minutes), and only while the session is open;
 * a changed byte, another server's key or a passed expiry makes it worthless.
 */
@Component
class DownloadLinks {

    static final String PURPOSE = "download-link";
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
        byte[] payload = json.writeValueAsBytes(grant);
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
            return Optional.of(json.readValue(new String(payload, StandardCharsets.UTF_8), Grant.class));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    static boolean expired(Grant grant, Instant now) {
        return now.getEpochSecond() >= grant.expiresAt();
    }
}
