package io.cairn.server.web;

import io.cairn.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error of a JSON API controller as RFC 9457 problem details, with an {@code errors} list of
 * {@code {field, message}} for field-level problems. Never a stack trace: an unexpected failure is
 * logged with a reference the response quotes.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemDetailsAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> problem(ProblemException e, HttpServletRequest request) {
        return respond(e.status(), e.title(), e.getMessage(), request, e.fieldErrors());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e, HttpServletRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (FieldError fe : e.getBindingResult().getFieldErrors()) {
            fields.putIfAbsent(fe.getField(), fe.getDefaultMessage());
        }
        e.getBindingResult().getGlobalErrors().forEach(g -> fields.putIfAbsent(g.getObjectName(), g.getDefaultMessage()));
        return respond(HttpStatus.BAD_REQUEST, "Invalid request", "Some fields are not valid: " + describe(fields),
                request, fields);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalidParameters(HandlerMethodValidationException e, HttpServletRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        e.getParameterValidationResults().forEach(r -> r.getResolvableErrors().forEach(err ->
                fields.putIfAbsent(r.getMethodParameter().getParameterName(), err.getDefaultMessage())));
        return respond(HttpStatus.BAD_REQUEST, "Invalid request", "Some parameters are not valid: " + describe(fields),
                request, fields);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof PayloadTooLargeException big) {
            return respond(HttpStatus.CONTENT_TOO_LARGE, "Request body too large", big.getMessage(), request, Map.of());
        }
        if (cause instanceof UnrecognizedPropertyException u) {
            String field = path(u);
            return respond(HttpStatus.BAD_REQUEST, "Unknown field", "The field '" + field + "' is not part of this "
                    + "request; known fields: " + u.getKnownPropertyIds() + ".", request,
                    Map.of(field, "Unknown field."));
        }
        if (cause instanceof InvalidFormatException f) {
            String field = path(f);
            return respond(HttpStatus.BAD_REQUEST, "Wrong type", "The field '" + field + "' must be "
                    + typeName(f.getTargetType()) + ".", request, Map.of(field, "Must be " + typeName(f.getTargetType()) + "."));
        }
        if (cause instanceof MismatchedInputException m && !path(m).isEmpty()) {
            String field = path(m);
            String type = m.getTargetType() == null ? "another type" : typeName(m.getTargetType());
            return respond(HttpStatus.BAD_REQUEST, "Wrong type", "The field '" + field + "' must be " + type + ".",
                    request, Map.of(field, "Must be " + type + "."));
        }
        if (cause instanceof StreamReadException || cause instanceof DatabindException) {
            return respond(HttpStatus.BAD_REQUEST, "Malformed JSON", "The request body is not valid JSON: "
                    + firstLine(cause.getMessage()), request, Map.of());
        }
        return respond(HttpStatus.BAD_REQUEST, "Unreadable request body",
                "Send a JSON object with Content-Type: application/json.", request, Map.of());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException e, HttpServletRequest request) {
        return respond(HttpStatus.BAD_REQUEST, "Missing parameter", "The parameter '" + e.getParameterName()
                + "' is required.", request, Map.of(e.getParameterName(), "Required."));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String type = e.getRequiredType() == null ? "another type" : typeName(e.getRequiredType());
        return respond(HttpStatus.BAD_REQUEST, "Wrong type", "The parameter '" + e.getName() + "' must be " + type + ".",
                request, Map.of(e.getName(), "Must be " + type + "."));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                "Send the body as JSON with Content-Type: application/json.", request, Map.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return respond(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", "This endpoint does not accept "
                + e.getMethod() + "; it accepts " + e.getSupportedHttpMethods() + ".", request, Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        log.error("Unexpected error {} on {} {}", reference, request.getMethod(), request.getRequestURI(), e);
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "Something went wrong on the server. It was "
                + "logged with reference " + reference + "; nothing was changed by this request.", request, Map.of());
    }

    static ResponseEntity<ProblemDetail> respond(HttpStatus status, String title, String detail,
                                                 HttpServletRequest request, Map<String, String> fields) {
        ProblemDetail p = ProblemWriter.problem(status, title, detail, request.getRequestURI());
        if (!fields.isEmpty()) {
            List<Map<String, String>> errors = new ArrayList<>();
            fields.forEach((f, m) -> errors.add(Map.of("field", f, "message", m)));
            p.setProperty("errors", errors);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static String path(DatabindException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                names.add(((Enum<?>) c).name());
            }
            return "one of " + names;
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object of the documented shape";
    }

    private static String describe(Map<String, String> fields) {
        return String.join("; ", fields.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
