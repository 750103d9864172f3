package io.cairn.server.schedule;

import io.cairn.engine.blob.Compression;
import io.cairn.server.job.BackupType;
import java.util.Map;

/**
 * The schedule page's form, as typed (strings, so a wrong number comes back to the user as typed).
 *
 * @param target "source:<id>" or "project:<id>"
 * @param preset HOURLY, DAILY, WEEKLY, MONTHLY, or CUSTOM (use {@code cron})
 */
public record ScheduleForm(String name, String target, String preset, String at, String dayOfWeek, String dayOfMonth,
                           String cron, String zone, String backupType, String compression, String missedRunPolicy,
                           String jitterSeconds, String keepLast, String keepHourly, String keepDaily,
                           String keepWeekly, String keepMonthly, String keepYearly, String keepWithin,
                           String retentionDays, String force, String enabled) {

    public static ScheduleForm empty(String zone) {
        return new ScheduleForm("", "", "DAILY", "02:00", "SUNDAY", "1", "0 2 * * *", zone, "INCREMENTAL", "", "RUN_ONCE",
                "0", "", "", "7", "4", "6", "", "", "", null, "true");
    }

    /** A saved schedule in the form: as its preset (daily at 02:00…) when its cron is one, else as its cron. */
    public static ScheduleForm of(Schedule s) {
        RetentionSettings k = s.retention();
        CronSchedule.PresetFields p = CronSchedule.presetOf(s.cron())
                .orElse(new CronSchedule.PresetFields("CUSTOM", "02:00", "SUNDAY", 1));
        return new ScheduleForm(s.name(), s.sourceId() != null ? "source:" + s.sourceId() : "project:" + s.projectId(),
                p.kind(), p.at(), p.dayOfWeek(), Integer.toString(p.dayOfMonth()), s.cron(), s.zone(), s.backupType().name(),
                s.compression() == null ? "" : s.compression().name(), s.missedRunPolicy().name(),
                Integer.toString(s.jitterSeconds()), text(k.keepLast()), text(k.keepHourly()), text(k.keepDaily()),
                text(k.keepWeekly()), text(k.keepMonthly()), text(k.keepYearly()),
                k.keepWithin() == null ? "" : k.keepWithin(), text(k.retentionDays()), k.force() ? "true" : null,
                s.enabled() ? "true" : null);
    }

    /** The request the service takes; numbers that are not numbers are reported in {@code errors}. */
    public ScheduleRequest toRequest(Map<String, String> errors) {
        Long sourceId = null;
        Long projectId = null;
        if (target != null && target.startsWith("source:")) {
            sourceId = number(target.substring(7), "sourceId", errors);
        } else if (target != null && target.startsWith("project:")) {
            projectId = number(target.substring(8), "projectId", errors);
        }
        boolean custom = preset == null || preset.isBlank() || preset.equals("CUSTOM");
        Long dom = custom ? null : number(dayOfMonth, "dayOfMonth", errors);
        Long jitter = number(jitterSeconds, "jitterSeconds", errors);
        RetentionSettings retention = new RetentionSettings(integer(keepLast, "retention.keepLast", errors),
                integer(keepHourly, "retention.keepHourly", errors), integer(keepDaily, "retention.keepDaily", errors),
                integer(keepWeekly, "retention.keepWeekly", errors), integer(keepMonthly, "retention.keepMonthly", errors),
                integer(keepYearly, "retention.keepYearly", errors),
                keepWithin == null || keepWithin.isBlank() ? null : keepWithin.trim(),
                integer(retentionDays, "retention.retentionDays", errors), "true".equals(force));
        return new ScheduleRequest(name, sourceId, projectId, cron, custom ? null : preset, at, dayOfWeek,
                dom == null ? null : dom.intValue(), zone, enumOr(BackupType.class, backupType, BackupType.INCREMENTAL),
                enumOr(Compression.class, compression, null), "true".equals(enabled),
                enumOr(MissedRunPolicy.class, missedRunPolicy, MissedRunPolicy.RUN_ONCE),
                jitter == null ? 0 : jitter.intValue(), retention);
    }

    private static String text(Integer n) {
        return n == null ? "" : n.toString();
    }

    private static Long number(String text, String field, Map<String, String> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            errors.put(field, "\"" + text + "\" is not a whole number.");
            return null;
        }
    }

    private static Integer integer(String text, String field, Map<String, String> errors) {
        Long n = number(text, field, errors);
        if (n != null && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
            errors.put(field, "\"" + text + "\" is too large.");
            return null;
        }
        return n == null ? null : n.intValue();
    }

    private static <E extends Enum<E>> E enumOr(Class<E> type, String text, E fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, text.trim());
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
