package io.cairn.server.audit;

import io.cairn.server.problem.ProblemException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit search as request parameters ({@code actor, action, outcome, q, from, to}); dates are
 * {@code YYYY-MM-DD} (UTC, {@code to} inclusive) or ISO instants.
 */
public record AuditQueryParams(String actor, String action, String outcome, String q, String from, String to) {

    public AuditQuery toQuery() {
        Map<String, String> errors = new LinkedHashMap<>();
        AuditOutcome out = null;
        if (outcome != null && !outcome.isBlank()) {
            try {
                out = AuditOutcome.valueOf(outcome.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.put("outcome", "Use SUCCESS, FAILURE or DENIED.");
            }
        }
        Instant f = parse("from", from, false, errors);
        Instant t = parse("to", to, true, errors);
        if (f != null && t != null && !f.isBefore(t)) {
            errors.put("to", "Must be after 'from'.");
        }
        if (actor != null && actor.length() > 64) {
            errors.put("actor", "Use at most 64 characters.");
        }
        if (q != null && q.length() > 200) {
            errors.put("q", "Use at most 200 characters.");
        }
        if (action != null && action.length() > 64) {
            errors.put("action", "Use at most 64 characters.");
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new AuditQuery(blankToNull(actor), blankToNull(action), out, blankToNull(q), f, t);
    }

    private static Instant parse(String field, String value, boolean endOfDay, Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate d = LocalDate.parse(value);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.put(field, "Use a date like 2026-12-31 or a time like 2026-12-31T23:59:00Z.");
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
