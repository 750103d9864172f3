package io.cairn.server.schedule;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.scheduling.support.CronExpression;

/**
 * A cron expression in a time zone: validated field by field, described in words, and asked for its next
 * runs. Pure: the caller passes the instant to count from, so tests pin time exactly.
 *
 * <p>Five fields (minute hour day-of-month month day-of-week, Unix style) or six (seconds first). Runs
 * are computed by Spring's {@link CronExpression} in the zone's wall-clock time: a run that falls into
 * the spring-forward gap moves forward by the gap (02:30 becomes 03:30), and a wall-clock time that
 * happens twice at fall-back runs once, at its first occurrence.
 */
public final class CronSchedule {

    private static final String[] FIELDS6 = {"second", "minute", "hour", "dayOfMonth", "month", "dayOfWeek"};
    private static final String[] LABELS6 = {"second", "minute", "hour", "day-of-month", "month", "day-of-week"};
    private static final String[] RANGES6 = {"0-59", "0-59", "0-23", "1-31", "1-12 or JAN-DEC", "0-7 or SUN-SAT (0 and 7 are Sunday)"};
    private static final Pattern NUMBER = Pattern.compile("\\d{1,2}");
    private static final Pattern ONE_DAY = Pattern.compile("[0-7]|(?i:SUN|MON|TUE|WED|THU|FRI|SAT)");

    private final String cron;
    private final ZoneId zone;
    private final String[] fields; // always six, seconds first
    private final boolean withSeconds;
    private final CronExpression expression;

    private CronSchedule(String cron, ZoneId zone, String[] fields, boolean withSeconds, CronExpression expression) {
        this.cron = cron;
        this.zone = zone;
        this.fields = fields;
        this.withSeconds = withSeconds;
        this.expression = expression;
    }

    /**
     * Parses a cron expression and a zone id.
     *
     * @throws InvalidCronException naming the field that is wrong and why
     */
    public static CronSchedule parse(String cron, String zone) {
        ZoneId zoneId = parseZone(zone);
        if (cron == null || cron.isBlank()) {
            throw new InvalidCronException("cron", "Enter a cron expression, e.g. \"0 2 * * *\" for every day at 02:00.");
        }
        String normalized = cron.trim().replaceAll("\\s+", " ");
        String[] given = normalized.split(" ");
        String[] six;
        if (given.length == 5) {
            six = new String[6];
            six[0] = "0";
            System.arraycopy(given, 0, six, 1, 5);
        } else if (given.length == 6) {
            six = given;
        } else {
            throw new InvalidCronException("cron", "A cron expression has 5 fields (minute hour day-of-month month "
                    + "day-of-week), or 6 with seconds first; \"" + normalized + "\" has " + given.length + ".");
        }
        for (int i = given.length == 5 ? 1 : 0; i < 6; i++) {
            String[] probe = {"0", "*", "*", "*", "*", "*"};
            probe[i] = six[i];
            try {
                CronExpression.parse(String.join(" ", probe));
            } catch (IllegalArgumentException e) {
                throw new InvalidCronException(FIELDS6[i], "The " + LABELS6[i] + " field \"" + six[i]
                        + "\" is not valid: use " + RANGES6[i] + ", a list (1,15), a range (1-5) or a step (*/15).");
            }
        }
        CronExpression expression;
        try {
            expression = CronExpression.parse(String.join(" ", six));
        } catch (IllegalArgumentException e) {
            throw new InvalidCronException("cron", "\"" + normalized + "\" is not a valid cron expression: "
                    + e.getMessage());
        }
        return new CronSchedule(normalized, zoneId, six, given.length == 6, expression);
    }

    /** Parses a zone id such as {@code Europe/Berlin} or {@code UTC}. */
    public static ZoneId parseZone(String zone) {
        if (zone == null || zone.isBlank()) {
            throw new InvalidCronException("zone", "Choose a time zone, e.g. Europe/Berlin or UTC.");
        }
        try {
            return ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new InvalidCronException("zone", "\"" + zone + "\" is not a time zone; use a region such as "
                    + "Europe/Berlin or America/New_York, or UTC.");
        }
    }

    public String cron() {
        return cron;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * The first run strictly after {@code after}; null if the expression never matches again. Spring's
     * {@link CronExpression} alone would skip a day whose run time falls into the spring-forward gap and
     * run twice in the repeated hour at fall-back; here the gap's run moves forward by the gap's length
     * and a fixed-hour run happens only at the first of the two equal wall-clock times.
     */
    public Instant next(Instant after) {
        Instant from = after;
        for (int guard = 0; guard < 10_000; guard++) {
            ZonedDateTime next = expression.next(from.atZone(zone));
            Instant candidate = next == null ? null : next.toInstant();
            Instant inGap = runInGap(from, candidate);
            if (inGap != null) {
                return inGap;
            }
            if (candidate == null) {
                return null;
            }
            if (fixedHour() && isRepeatOfWallClock(next)) {
                from = candidate;
                continue;
            }
            return candidate;
        }
        return null;
    }

    private boolean fixedHour() {
        String hour = fields[2];
        return !hour.contains("*") && !hour.contains("/") && !hour.contains("-");
    }

    private boolean isRepeatOfWallClock(ZonedDateTime run) {
        ZoneOffsetTransition t = zone.getRules().getTransition(run.toLocalDateTime());
        return t != null && t.isOverlap() && run.getOffset().equals(t.getOffsetAfter());
    }

    /** A run whose wall-clock time the spring-forward gap between {@code from} and {@code until} skipped. */
    private Instant runInGap(Instant from, Instant until) {
        ZoneOffsetTransition t = zone.getRules().nextTransition(from);
        for (int i = 0; t != null && i < 4 && (until == null || t.getInstant().isBefore(until)); i++) {
            if (t.isGap()) {
                LocalDateTime skipped = expression.next(t.getDateTimeBefore().minusSeconds(1));
                if (skipped != null && skipped.isBefore(t.getDateTimeAfter())) {
                    Instant moved = ZonedDateTime.ofLocal(skipped, zone, null).toInstant();
                    if (moved.isAfter(from) && (until == null || moved.isBefore(until))) {
                        return moved;
                    }
                }
            }
            t = zone.getRules().nextTransition(t.getInstant());
        }
        return null;
    }

    /** The next {@code count} runs strictly after {@code after}, oldest first. */
    public List<Instant> nextRuns(Instant after, int count) {
        List<Instant> runs = new ArrayList<>(count);
        Instant from = after;
        while (runs.size() < count) {
            Instant next = next(from);
            if (next == null) {
                break;
            }
            runs.add(next);
            from = next;
        }
        return runs;
    }

    /** In words, with the zone: "every day at 02:00 Europe/Berlin". */
    public String describe() {
        String second = fields[0];
        String minute = fields[1];
        String hour = fields[2];
        String dom = fields[3];
        String month = fields[4];
        String dow = fields[5];
        boolean plainSecond = second.equals("0");
        if (plainSecond && NUMBER.matcher(minute).matches() && month.equals("*")) {
            String mm = String.format(Locale.ROOT, "%02d", Integer.parseInt(minute));
            if (hour.equals("*") && dom.equals("*") && dow.equals("*")) {
                return "every hour at :" + mm + " " + zone.getId();
            }
            if (NUMBER.matcher(hour).matches()) {
                String at = String.format(Locale.ROOT, "%02d", Integer.parseInt(hour)) + ":" + mm;
                if (dom.equals("*") && dow.equals("*")) {
                    return "every day at " + at + " " + zone.getId();
                }
                if (dom.equals("*") && ONE_DAY.matcher(dow).matches()) {
                    return "every " + dayName(dow) + " at " + at + " " + zone.getId();
                }
                if (NUMBER.matcher(dom).matches() && dow.equals("*")) {
                    return "on day " + Integer.parseInt(dom) + " of every month at " + at + " " + zone.getId();
                }
            }
        }
        try {
            CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(
                    withSeconds ? CronType.SPRING : CronType.UNIX));
            String text = CronDescriptor.instance(Locale.UK).describe(parser.parse(cron));
            return text + " (" + zone.getId() + ")";
        } catch (RuntimeException e) {
            return "cron \"" + cron + "\" in " + zone.getId();
        }
    }

    private static String dayName(String dow) {
        Matcher digit = Pattern.compile("[0-7]").matcher(dow);
        DayOfWeek day;
        if (digit.matches()) {
            int n = Integer.parseInt(dow);
            day = n == 0 || n == 7 ? DayOfWeek.SUNDAY : DayOfWeek.of(n);
        } else {
            day = switch (dow.toUpperCase(Locale.ROOT)) {
                case "MON" -> DayOfWeek.MONDAY;
                case "TUE" -> DayOfWeek.TUESDAY;
                case "WED" -> DayOfWeek.WEDNESDAY;
                case "THU" -> DayOfWeek.THURSDAY;
                case "FRI" -> DayOfWeek.FRIDAY;
                case "SAT" -> DayOfWeek.SATURDAY;
                default -> DayOfWeek.SUNDAY;
            };
        }
        return day.getDisplayName(TextStyle.FULL, Locale.UK);
    }

    /**
     * A preset as a five-field cron expression.
     *
     * @param kind       HOURLY, DAILY, WEEKLY or MONTHLY
     * @param at         HH:MM (for HOURLY only the minutes count; "00:15" is every hour at :15)
     * @param dayOfWeek  for WEEKLY: MONDAY..SUNDAY (or MON..SUN)
     * @param dayOfMonth for MONTHLY: 1-28 (so that it happens every month)
     * @throws InvalidCronException naming the preset field that is wrong
     */
    public static String preset(String kind, String at, String dayOfWeek, Integer dayOfMonth) {
        String k = kind == null ? "" : kind.trim().toUpperCase(Locale.ROOT);
        int hour = 0;
        int minute = 0;
        if (at != null && !at.isBlank()) {
            Matcher m = Pattern.compile("(\\d{1,2}):(\\d{2})").matcher(at.trim());
            if (!m.matches() || Integer.parseInt(m.group(1)) > 23 || Integer.parseInt(m.group(2)) > 59) {
                throw new InvalidCronException("at", "\"" + at + "\" is not a time of day; use HH:MM, e.g. 02:00.");
            }
            hour = Integer.parseInt(m.group(1));
            minute = Integer.parseInt(m.group(2));
        } else if (!k.equals("HOURLY")) {
            throw new InvalidCronException("at", "Give the time of day (HH:MM) the backup should run at.");
        }
        return switch (k) {
            case "HOURLY" -> minute + " * * * *";
            case "DAILY" -> minute + " " + hour + " * * *";
            case "WEEKLY" -> {
                if (dayOfWeek == null || dayOfWeek.isBlank()) {
                    throw new InvalidCronException("dayOfWeek", "Choose the day of the week, e.g. MONDAY.");
                }
                DayOfWeek day = null;
                for (DayOfWeek d : DayOfWeek.values()) {
                    if (d.name().startsWith(dayOfWeek.trim().toUpperCase(Locale.ROOT)) && dayOfWeek.trim().length() >= 3) {
                        day = d;
                    }
                }
                if (day == null) {
                    throw new InvalidCronException("dayOfWeek", "\"" + dayOfWeek + "\" is not a day of the week; "
                            + "use MONDAY to SUNDAY.");
                }
                yield minute + " " + hour + " * * " + day.name().substring(0, 3);
            }
            case "MONTHLY" -> {
                if (dayOfMonth == null || dayOfMonth < 1 || dayOfMonth > 28) {
                    throw new InvalidCronException("dayOfMonth", "Choose a day of the month from 1 to 28 (so that "
                            + "it exists in every month).");
                }
                yield minute + " " + hour + " " + dayOfMonth + " * *";
            }
            default -> throw new InvalidCronException("preset", "\"" + kind + "\" is not a preset; use HOURLY, DAILY, "
                    + "WEEKLY or MONTHLY, or give a cron expression.");
        };
    }

    /** A preset's fields, as the schedule form shows them. */
    public record PresetFields(String kind, String at, String dayOfWeek, int dayOfMonth) {
    }

    private static final Pattern PRESET_SHAPE = Pattern.compile(
            "(\\d{1,2}) (\\*|\\d{1,2}) (\\*|\\d{1,2}) \\* (\\*|[0-7]|[A-Za-z]{3})");

    /**
     * The preset a five-field cron expression was made from ({@link #preset}'s inverse), so that editing a
     * "daily at 02:00" schedule shows "daily at 02:00", not its cron; empty for anything else.
     */
    public static java.util.Optional<PresetFields> presetOf(String cron) {
        Matcher m = PRESET_SHAPE.matcher(cron == null ? "" : cron.trim().replaceAll("\\s+", " "));
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        int minute = Integer.parseInt(m.group(1));
        String hour = m.group(2);
        String day = m.group(3);
        String weekday = m.group(4);
        if (minute > 59 || (!hour.equals("*") && Integer.parseInt(hour) > 23)) {
            return java.util.Optional.empty();
        }
        String at = String.format(Locale.ROOT, "%02d:%02d", hour.equals("*") ? 0 : Integer.parseInt(hour), minute);
        if (hour.equals("*")) {
            return day.equals("*") && weekday.equals("*")
                    ? java.util.Optional.of(new PresetFields("HOURLY", at, "SUNDAY", 1)) : java.util.Optional.empty();
        }
        if (day.equals("*") && weekday.equals("*")) {
            return java.util.Optional.of(new PresetFields("DAILY", at, "SUNDAY", 1));
        }
        if (day.equals("*")) {
            DayOfWeek dow = null;
            if (Character.isDigit(weekday.charAt(0))) {
                int n = Integer.parseInt(weekday);
                dow = DayOfWeek.of(n == 0 ? 7 : n);
            } else {
                for (DayOfWeek d : DayOfWeek.values()) {
                    if (d.name().startsWith(weekday.toUpperCase(Locale.ROOT))) {
                        dow = d;
                    }
                }
            }
            return dow == null ? java.util.Optional.empty()
                    : java.util.Optional.of(new PresetFields("WEEKLY", at, dow.name(), 1));
        }
        int dom = Integer.parseInt(day);
        return weekday.equals("*") && dom >= 1 && dom <= 28
                ? java.util.Optional.of(new PresetFields("MONTHLY", at, "SUNDAY", dom)) : java.util.Optional.empty();
    }
}
