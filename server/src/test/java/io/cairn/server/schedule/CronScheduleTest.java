package io.cairn.server.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Next runs, descriptions, presets and per-field errors of cron expressions, with time pinned. */
class CronScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant berlin(String localDateTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), BERLIN).toInstant();
    }

    @Test
    void daily_at_two_gives_the_next_five_days_in_the_schedules_zone() {
        CronSchedule daily = CronSchedule.parse("0 2 * * *", "Europe/Berlin");
        assertThat(daily.nextRuns(berlin("2026-06-10T12:00"), 5)).containsExactly(berlin("2026-06-11T02:00"),
                berlin("2026-06-12T02:00"), berlin("2026-06-13T02:00"), berlin("2026-06-14T02:00"),
                berlin("2026-06-15T02:00"));
        assertThat(daily.describe()).isEqualTo("every day at 02:00 Europe/Berlin");
    }

    @Test
    void a_run_in_the_spring_forward_gap_moves_to_after_the_gap_and_the_next_day_is_normal_again() {
        // 2026-03-29: Berlin clocks jump from 02:00 to 03:00; 02:30 does not exist that day.
        CronSchedule daily = CronSchedule.parse("30 2 * * *", "Europe/Berlin");
        List<Instant> runs = daily.nextRuns(berlin("2026-03-28T12:00"), 3);
        assertThat(runs.get(0)).isEqualTo(berlin("2026-03-29T03:30"));
        assertThat(runs.get(0)).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(runs.get(1)).isEqualTo(berlin("2026-03-30T02:30"));
        assertThat(runs.get(2)).isEqualTo(berlin("2026-03-31T02:30"));
    }

    @Test
    void a_wall_clock_time_that_happens_twice_at_fall_back_runs_once() {
        // 2026-10-25: Berlin clocks go back from 03:00 to 02:00; 02:30 happens twice (00:30Z and 01:30Z).
        CronSchedule daily = CronSchedule.parse("30 2 * * *", "Europe/Berlin");
        List<Instant> runs = daily.nextRuns(berlin("2026-10-24T12:00"), 3);
        assertThat(runs).containsExactly(Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"),
                Instant.parse("2026-10-27T01:30:00Z"));
    }

    @Test
    void hourly_runs_keep_elapsed_hours_across_fall_back() {
        CronSchedule hourly = CronSchedule.parse("0 * * * *", "Europe/Berlin");
        List<Instant> runs = hourly.nextRuns(Instant.parse("2026-10-24T23:30:00Z"), 4);
        assertThat(runs).containsExactly(Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T01:00:00Z"),
                Instant.parse("2026-10-25T02:00:00Z"), Instant.parse("2026-10-25T03:00:00Z"));
        assertThat(hourly.describe()).isEqualTo("every hour at :00 Europe/Berlin");
    }

    @Test
    void presets_become_cron_expressions_with_their_descriptions() {
        assertThat(CronSchedule.preset("HOURLY", "00:15", null, null)).isEqualTo("15 * * * *");
        assertThat(CronSchedule.preset("daily", "02:00", null, null)).isEqualTo("0 2 * * *");
        assertThat(CronSchedule.preset("WEEKLY", "23:45", "monday", null)).isEqualTo("45 23 * * MON");
        assertThat(CronSchedule.preset("MONTHLY", "04:05", null, 1)).isEqualTo("5 4 1 * *");
        assertThat(CronSchedule.parse("45 23 * * MON", "UTC").describe()).isEqualTo("every Monday at 23:45 UTC");
        assertThat(CronSchedule.parse("5 4 1 * *", "UTC").describe()).isEqualTo("on day 1 of every month at 04:05 UTC");
        assertThat(CronSchedule.parse("0 3 * * 0", "UTC").describe()).isEqualTo("every Sunday at 03:00 UTC");
    }

    @Test
    void other_expressions_are_described_by_cron_utils_with_the_zone() {
        assertThat(CronSchedule.parse("*/15 8-18 * * 1-5", "UTC").describe()).endsWith("(UTC)").isNotBlank();
        assertThat(CronSchedule.parse("*/5 * * * * *", "UTC").nextRuns(Instant.parse("2026-01-01T00:00:01Z"), 2))
                .containsExactly(Instant.parse("2026-01-01T00:00:05Z"), Instant.parse("2026-01-01T00:00:10Z"));
    }

    @Test
    void a_bad_field_is_named_with_what_it_accepts() {
        assertThatThrownBy(() -> CronSchedule.parse("61 2 * * *", "UTC")).isInstanceOfSatisfying(InvalidCronException.class,
                e -> {
                    assertThat(e.field()).isEqualTo("minute");
                    assertThat(e.getMessage()).contains("minute field \"61\"").contains("0-59");
                });
        assertThatThrownBy(() -> CronSchedule.parse("0 25 * * *", "UTC"))
                .isInstanceOfSatisfying(InvalidCronException.class, e -> assertThat(e.field()).isEqualTo("hour"));
        assertThatThrownBy(() -> CronSchedule.parse("0 2 * * FUNDAY", "UTC"))
                .isInstanceOfSatisfying(InvalidCronException.class, e -> assertThat(e.field()).isEqualTo("dayOfWeek"));
        assertThatThrownBy(() -> CronSchedule.parse("0 2 * *", "UTC"))
                .isInstanceOfSatisfying(InvalidCronException.class, e -> {
                    assertThat(e.field()).isEqualTo("cron");
                    assertThat(e.getMessage()).contains("has 4");
                });
        assertThatThrownBy(() -> CronSchedule.parse("0 2 * * *", "Mars/Olympus"))
                .isInstanceOfSatisfying(InvalidCronException.class, e -> assertThat(e.field()).isEqualTo("zone"));
        assertThatThrownBy(() -> CronSchedule.preset("WEEKLY", "02:00", "someday", null))
                .isInstanceOfSatisfying(InvalidCronException.class, e -> assertThat(e.field()).isEqualTo("dayOfWeek"));
        assertThatThrownBy(() -> CronSchedule.preset("DAILY", "26:00", null, null))
                .isInstanceOfSatisfying(InvalidCronException.class, e -> assertThat(e.field()).isEqualTo("at"));
    }

    @Test
    void a_cron_made_from_a_preset_is_recognised_as_that_preset_and_anything_else_is_not() {
        assertThat(CronSchedule.presetOf(CronSchedule.preset("HOURLY", "00:15", null, null)))
                .contains(new CronSchedule.PresetFields("HOURLY", "00:15", "SUNDAY", 1));
        assertThat(CronSchedule.presetOf(CronSchedule.preset("DAILY", "02:00", null, null)))
                .contains(new CronSchedule.PresetFields("DAILY", "02:00", "SUNDAY", 1));
        assertThat(CronSchedule.presetOf(CronSchedule.preset("WEEKLY", "23:45", "WEDNESDAY", null)))
                .contains(new CronSchedule.PresetFields("WEEKLY", "23:45", "WEDNESDAY", 1));
        assertThat(CronSchedule.presetOf("0 3 * * 0")).contains(new CronSchedule.PresetFields("WEEKLY", "03:00",
                "SUNDAY", 1));
        assertThat(CronSchedule.presetOf(CronSchedule.preset("MONTHLY", "04:05", null, 28)))
                .contains(new CronSchedule.PresetFields("MONTHLY", "04:05", "SUNDAY", 28));
        assertThat(CronSchedule.presetOf("30 1 * * 1-5")).isEmpty();
        assertThat(CronSchedule.presetOf("0 2 31 * *")).as("day 31 is not a monthly preset (1-28)").isEmpty();
        assertThat(CronSchedule.presetOf("*/3 * * * * *")).isEmpty();
        assertThat(CronSchedule.presetOf("0 */6 * * *")).isEmpty();
        assertThat(CronSchedule.presetOf("0 2 1 * MON")).isEmpty();
    }
}
