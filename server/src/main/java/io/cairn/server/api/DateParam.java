package io.cairn.server.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * A date filter as lists take it: {@code YYYY-MM-DD} (a day in UTC) or an ISO instant. An end date is
 * inclusive: {@code to=2026-12-31} means "before 2027-01-01".
 */
public final class DateParam {

    private DateParam() {
    }

    /** The instant, or null if empty; a wrong value adds a message for {@code field} to {@code errors}. */
    public static Instant parse(String field, String value, boolean endOfDay, Map<String, String> errors) {
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
}
