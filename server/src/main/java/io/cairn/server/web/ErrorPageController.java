package io.cairn.server.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The servlet container's error page ({@code /error}): problem details for API paths, an HTML page
 * for the rest. Whatever the failure, the answer says what happened in words and never shows a stack
 * trace; an unexpected failure is logged with a reference the page quotes.
 */
@Controller
public class ErrorPageController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorPageController.class);

    private final ProblemWriter problems;

    public ErrorPageController(ProblemWriter problems) {
        this.problems = problems;
    }

    @RequestMapping("/error")
    public String error(HttpServletRequest request, HttpServletResponse response, Model model) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Asked for directly (no error being forwarded): there is nothing here.
        HttpStatus status = HttpStatus.resolve(code instanceof Integer i ? i : 404);
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        Object forwardedUri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String uri = forwardedUri == null ? request.getRequestURI() : forwardedUri.toString();
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        Throwable exception = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String detail = describe(status, message, exception, request, uri);
        if (uri.startsWith("/api/")) {
            problems.write(new UriOverride(request, uri), response, status, sentenceCase(status.getReasonPhrase()), detail);
            return null;
        }
        response.setStatus(status.value());
        model.addAttribute("status", status.value());
        model.addAttribute("errorTitle", title(status));
        model.addAttribute("detail", detail);
        return "error";
    }

    private static String describe(HttpStatus status, Object message, Throwable exception, HttpServletRequest request,
                                   String uri) {
        if (status.is5xxServerError()) {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            log.error("Unexpected error {} on {} {}", reference, request.getMethod(), uri, exception);
            return "Something went wrong on the server. It was logged with reference " + reference + ".";
        }
        String text = message == null ? "" : message.toString();
        if (!text.isBlank() && !text.startsWith("No static resource") && !text.startsWith("No endpoint")) {
            return text;
        }
        return switch (status) {
            case NOT_FOUND -> "There is nothing at " + uri + ". Check the address, or start from the dashboard.";
            case METHOD_NOT_ALLOWED -> "This address does not accept " + request.getMethod() + ".";
            case FORBIDDEN -> "Your role does not allow this. Ask an admin if you need it.";
            case UNAUTHORIZED -> "Sign in first.";
            case CONTENT_TOO_LARGE -> "The request was too large.";
            default -> status.getReasonPhrase() + ".";
        };
    }

    /** "Method Not Allowed" → "Method not allowed", as the API's other problem titles are written. */
    static String sentenceCase(String phrase) {
        return phrase.isEmpty() ? phrase : phrase.charAt(0) + phrase.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    private static String title(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "Page not found";
            case FORBIDDEN -> "Not allowed";
            case UNAUTHORIZED -> "Sign-in required";
            default -> status.is5xxServerError() ? "Something went wrong" : sentenceCase(status.getReasonPhrase());
        };
    }

    /** Reports the original URI as the problem's instance, not /error. */
    private static final class UriOverride extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final String uri;

        UriOverride(HttpServletRequest request, String uri) {
            super(request);
            this.uri = uri;
        }

        @Override
        public String getRequestURI() {
            return uri;
        }
    }
}
