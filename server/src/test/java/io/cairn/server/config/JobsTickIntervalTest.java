package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobsTickIntervalTest {

    private static CairnProperties.Jobs jobs(Duration telemetry, Duration progress) {
        return new CairnProperties.Jobs(2, telemetry, progress);
    }

    @Test
    void theShippedIntervalsAreLookedAtOnceASecond() {
        assertThat(jobs(Duration.ofSeconds(5), Duration.ofSeconds(2)).tickInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(jobs(Duration.ofHours(24), Duration.ofHours(24)).tickInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aShorterIntervalIsHonouredWhicheverOfTheTwoItIs() {
        assertThat(jobs(Duration.ofMillis(300), Duration.ofSeconds(2)).tickInterval()).isEqualTo(Duration.ofMillis(300));
        assertThat(jobs(Duration.ofSeconds(5), Duration.ofMillis(250)).tickInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void theTickerNeverRunsMoreOftenThanItsFloor() {
        assertThat(jobs(Duration.ofMillis(10), Duration.ZERO).tickInterval()).isEqualTo(CairnProperties.Jobs.MIN_TICK);
    }
}
