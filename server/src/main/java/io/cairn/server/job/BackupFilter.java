package io.cairn.server.job;

import io.cairn.server.problem.ProblemException;
import io.cairn.server.api.DateParam;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The backups list's filters as request parameters ({@code source, project, type, status, from, to, q,
 * sort, dir}); dates are {@code YYYY-MM-DD} (UTC, {@code to} inclusive) or ISO instants.
 */
public record BackupFilter(String source, String project, String type, String status, String from, String to,
                           String q, String sort, String dir) {

    private static final Set<String> SORTS = Set.of("queued", "started", "duration", "size", "added", "source", "status");

    public JobQuery toQuery() {
        Map<String, String> errors = new LinkedHashMap<>();
        Long sourceId = number("source", source, errors);
        Long projectId = number("project", project, errors);
        BackupType t = choice(BackupType.class, "type", type, errors);
        JobStatus st = choice(JobStatus.class, "status", status, errors);
        Instant f = DateParam.parse("from", from, false, errors);
        Instant e = DateParam.parse("to", to, true, errors);
        String s = sort == null || sort.isBlank() ? "queued" : sort;
        if (!SORTS.contains(s)) {
            errors.put("sort", "Sort by one of " + SORTS + ".");
        }
        if (q != null && q.length() > 200) {
            errors.put("q", "Use at most 200 characters.");
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new JobQuery(sourceId, projectId, t, st, f, e, q == null || q.isBlank() ? null : q.trim(), s,
                !"asc".equalsIgnoreCase(dir));
    }

    private static Long number(String field, String v, Map<String, String> errors) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            errors.put(field, "Choose from the list.");
            return null;
        }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String field, String v, Map<String, String> errors) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.put(field, "Choose from the list.");
            return null;
        }
    }

}
