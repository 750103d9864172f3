package io.cairn.engine.retention;

/**
 * A calendar duration for the {@code keep-within*} rules, written like restic's: a sequence of
 * {@code <number><unit>} parts with the units {@code y} (years), {@code m} (months), {@code d}
 * (days) and {@code h} (hours), for example {@code "2y5m7d3h"}, {@code "7d"} or {@code "36h"}.
 *
 * <p>It is not a fixed number of seconds: years, months and days are subtracted on the calendar in
 * the planner's time zone, and only the hours as elapsed time (see {@link RetentionPlanner}). There is
 * no week unit; write {@code 7d}. The {@link #ZERO zero} duration means "rule not used".
 *
 * @param years  whole years, {@code >= 0}
 * @param months whole months, {@code >= 0}
 * @param days   whole days, {@code >= 0}
 * @param hours  whole hours, {@code >= 0}
 */
public record RetentionDuration(int years, int months, int days, int hours) {

    /** The zero duration: a {@code keep-within*} rule with this value is not used. */
    public static final RetentionDuration ZERO = new RetentionDuration(0, 0, 0, 0);

    private static final String FORMAT_HINT =
            "write numbers followed by y (years), m (months), d (days) or h (hours), e.g. 2y5m7d3h";

    /** Rejects negative parts. */
    public RetentionDuration {
        requireNotNegative("years", years);
        requireNotNegative("months", months);
        requireNotNegative("days", days);
        requireNotNegative("hours", hours);
    }

    private static void requireNotNegative(String part, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("duration " + part + " must not be negative, was " + value);
        }
    }

    /**
     * Parses a duration such as {@code "1y2m3d4h"}. Parts may come in any order and any of them may be
     * left out, but each unit may appear only once. Nothing else is allowed: no spaces, signs,
     * fractions or other units.
     *
     * @param text the duration text
     * @return the parsed duration (may be {@link #ZERO}, e.g. for {@code "0d"})
     * @throws IllegalArgumentException naming the bad part and the expected form
     */
    public static RetentionDuration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration: " + FORMAT_HINT);
        }
        long[] values = new long[4];
        boolean[] seen = new boolean[4];
        int position = 0;
        while (position < text.length()) {
            int numberStart = position;
            while (position < text.length() && isAsciiDigit(text.charAt(position))) {
                position++;
            }
            if (position == numberStart) {
                throw new IllegalArgumentException("invalid duration '" + text + "': expected a number at '"
                        + text.substring(numberStart) + "'; " + FORMAT_HINT);
            }
            String number = text.substring(numberStart, position);
            if (position == text.length()) {
                throw new IllegalArgumentException("invalid duration '" + text + "': number " + number
                        + " at the end has no unit; " + FORMAT_HINT);
            }
            char unit = text.charAt(position);
            int slot = slotOf(unit);
            if (slot < 0) {
                String weekHint = (unit == 'w' || unit == 'W') ? " (there is no week unit: write 7d per week)" : "";
                throw new IllegalArgumentException("invalid duration '" + text + "': unknown unit '" + unit
                        + "' in '" + number + unit + "'" + weekHint + "; " + FORMAT_HINT);
            }
            if (seen[slot]) {
                throw new IllegalArgumentException("invalid duration '" + text + "': unit '" + unit
                        + "' appears twice (at '" + number + unit + "'); give each unit once");
            }
            seen[slot] = true;
            values[slot] = parseBounded(text, number, unit);
            position++;
        }
        return new RetentionDuration((int) values[0], (int) values[1], (int) values[2], (int) values[3]);
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int slotOf(char unit) {
        return switch (unit) {
            case 'y' -> 0;
            case 'm' -> 1;
            case 'd' -> 2;
            case 'h' -> 3;
            default -> -1;
        };
    }

    private static long parseBounded(String text, String number, char unit) {
        String significant = number.replaceFirst("^0+(?=.)", "");
        // up to 10 digits fit in a long; anything longer is above Integer.MAX_VALUE anyway
        if (significant.length() > 10 || Long.parseLong(significant) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("invalid duration '" + text + "': number in '" + number + unit
                    + "' is too large (at most " + Integer.MAX_VALUE + ")");
        }
        return Long.parseLong(significant);
    }

    /** True for the zero duration, which means the rule using it is not used. */
    public boolean isZero() {
        return years == 0 && months == 0 && days == 0 && hours == 0;
    }

    /**
     * The canonical text, parts in the order y, m, d, h and zero parts left out ({@code "1y3d"});
     * {@code "0h"} for {@link #ZERO}. {@link #parse} reads it back to an equal value.
     */
    @Override
    public String toString() {
        if (isZero()) {
            return "0h";
        }
        StringBuilder text = new StringBuilder();
        appendPart(text, years, 'y');
        appendPart(text, months, 'm');
        appendPart(text, days, 'd');
        appendPart(text, hours, 'h');
        return text.toString();
    }

    private static void appendPart(StringBuilder text, int value, char unit) {
        if (value != 0) {
            text.append(value).append(unit);
        }
    }
}
