package io.cairn.server.problem;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A failure the caller caused or can fix, with an HTTP status, a short title, a detail sentence
 * that says what to do, and optional field-level messages (field name → message).
 */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final Map<String, String> fieldErrors;

    public ProblemException(HttpStatus status, String title, String detail, Map<String, String> fieldErrors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.fieldErrors = Collections.unmodifiableMap(new LinkedHashMap<>(fieldErrors));
    }

    /** One field was wrong. */
    public static ProblemException invalid(String field, String message) {
        return invalid(Map.of(field, message));
    }

    /** Some fields were wrong. */
    public static ProblemException invalid(Map<String, String> fieldErrors) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "Invalid request",
                "Some fields are not valid: " + String.join("; ", fieldErrors.entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue()).toList()), fieldErrors);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, "Not found", detail, Map.of());
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(HttpStatus.CONFLICT, "Conflict", detail, Map.of());
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(HttpStatus.FORBIDDEN, "Forbidden", detail, Map.of());
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }
}
