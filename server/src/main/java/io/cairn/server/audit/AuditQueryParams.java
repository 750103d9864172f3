package io.cairn.server.audit;

import io.cairn.server.problem.ProblemException;
import io.cairn.server.api.DateParam;
import java.time.Instant;
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
        Instant f = DateParam.parse("from", from, false, errors);
        Instant t = DateParam.parse("to", to, true, errors);
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


    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
