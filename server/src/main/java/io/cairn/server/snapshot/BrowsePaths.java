package io.cairn.server.snapshot;

import io.cairn.server.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.util.UriUtils;

/**
 * Checks a requested snapshot path and brings it to one form ("/" or "/a/b"). Refused, with a 400
 * problem: a ".." or "." segment, a backslash, a NUL or other control character, and the same hidden
 * behind percent-encoding once or twice more ("%2e%2e", "..%2f", "%252e%252e"). What is left is
 * checked by containment: resolved against the snapshot root and normalised, it must stay below it.
 */
final class BrowsePaths {

    private static final int DECODE_ROUNDS = 3;

    private BrowsePaths() {
    }

    static String normalize(String requested) {
        if (requested == null || requested.isBlank()) {
            return "/";
        }
        String candidate = requested;
        for (int round = 0; round < DECODE_ROUNDS; round++) {
            refuseTraversal(candidate);
            String decoded;
            try {
                decoded = UriUtils.decode(candidate, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notEncoded) {
                break;
            }
            if (decoded.equals(candidate)) {
                break;
            }
            candidate = decoded;
        }
        List<String> parts = new ArrayList<>();
        for (String part : requested.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        String normalized = "/" + String.join("/", parts);
        Path root = Path.of("/");
        if (!root.resolve(normalized.substring(1)).normalize().startsWith(root)) {
            throw invalid("it leads outside the backup");
        }
        return normalized;
    }

    private static void refuseTraversal(String path) {
        if (path.indexOf('\\') >= 0) {
            throw invalid("it contains a backslash; separate folders with '/'");
        }
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) {
                throw invalid("it contains a control character (such as NUL)");
            }
        }
        for (String part : path.split("/", -1)) {
            if (part.equals("..") || part.equals(".")) {
                throw invalid("'.' and '..' are not allowed; give the full path from the backup's root");
            }
        }
    }

    private static ProblemException invalid(String why) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "Invalid path", "This path is not allowed: " + why
                + ". Use an absolute path inside the backup, like /srv/app/config.yml.", Map.of("path", why));
    }
}
