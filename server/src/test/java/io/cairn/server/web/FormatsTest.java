package io.cairn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The durations the pages show. */
class FormatsTest {

    private final Formats fmt = new Formats(Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void shortDurationsShowTenthsSoASmallBackupIsNotZeroSeconds() {
        assertThat(fmt.duration(Duration.ofMillis(444))).isEqualTo("0.4 s");
        assertThat(fmt.duration(Duration.ofMillis(9_950))).isEqualTo("9.9 s");
        assertThat(fmt.duration(Duration.ofSeconds(42))).isEqualTo("42 s");
        assertThat(fmt.duration(Duration.ofSeconds(3725))).isEqualTo("1 h 2 min");
    }

    @Test
    void elapsedTakesStartAndEndWhenBothAreKnownElseTheSecondsSoFar() {
        Instant start = Instant.parse("2026-12-04T11:00:00Z");
        assertThat(fmt.elapsed(start, start.plusMillis(1_234), 1L)).isEqualTo("1.2 s");
        assertThat(fmt.elapsed(start, null, 75L)).isEqualTo("1 min");
        assertThat(fmt.elapsed(null, null, null)).isEqualTo("—");
    }
}
