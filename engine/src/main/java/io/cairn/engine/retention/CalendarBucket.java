package io.cairn.engine.retention;

import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;

/**
 * A calendar period that snapshots fall into, read from the wall-clock fields of a time in the
 * planner's zone. Two times are in the same bucket exactly when their keys are equal.
 */
enum CalendarBucket {
    HOUR("hourly"),
    DAY("daily"),
    ISO_WEEK("weekly"),
    MONTH("monthly"),
    YEAR("yearly");

    private final String adjective;

    CalendarBucket(String adjective) {
        this.adjective = adjective;
    }

    /** The word used in reasons: "hourly", "daily", "weekly", "monthly", "yearly". */
    String adjective() {
        return adjective;
    }

    /**
     * The bucket key. Wall-clock based: in a time zone with daylight saving time, the repeated hour of
     * the autumn change (02:00-02:59 twice in Europe/Berlin) is one hourly bucket, and a day is its
     * calendar date whether it has 23, 24 or 25 hours. Weeks are ISO weeks (Monday to Sunday) keyed by
     * week-based year, so 31 December may belong to week 1 of the next year.
     */
    long key(ZonedDateTime time) {
        long year = time.getYear();
        return switch (this) {
            case HOUR -> ((year * 100 + time.getMonthValue()) * 100 + time.getDayOfMonth()) * 100 + time.getHour();
            case DAY -> (year * 100 + time.getMonthValue()) * 100 + time.getDayOfMonth();
            case ISO_WEEK -> time.getLong(IsoFields.WEEK_BASED_YEAR) * 100
                    + time.getLong(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case MONTH -> year * 100 + time.getMonthValue();
            case YEAR -> year;
        };
    }
}
