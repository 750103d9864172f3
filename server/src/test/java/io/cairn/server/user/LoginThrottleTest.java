package io.cairn.server.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.config.CairnProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The throttle slows guessing, never locks anyone out for good, and treats unknown names like real ones. */
class LoginThrottleTest {

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(new CairnProperties(null, null, null, null, null,
            new CairnProperties.Login(5, 20, Duration.ofMinutes(15)), null, null, null, null), clock);

    @Test
    void the_first_failures_are_free_then_each_wait_doubles_up_to_the_ceiling() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.waitFor("admin", "10.0.0.9")).isZero();
            throttle.recordFailure("admin", "10.0.0.9");
        }
        assertThat(throttle.waitFor("admin", "10.0.0.9")).isEqualTo(Duration.ofSeconds(1));
        throttle.recordFailure("admin", "10.0.0.9");
        assertThat(throttle.waitFor("admin", "10.0.0.9")).isEqualTo(Duration.ofSeconds(2));
        for (int i = 0; i < 30; i++) {
            throttle.recordFailure("admin", "10.0.0.9");
        }
        assertThat(throttle.waitFor("admin", "10.0.0.9")).as("never more than the ceiling")
                .isEqualTo(Duration.ofMinutes(15));
        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.waitFor("admin", "10.0.0.9")).as("no lock-out forever").isZero();
    }

    @Test
    void an_attacker_elsewhere_delays_the_real_admin_by_a_minute_at_most_and_a_success_clears_it() {
        for (int i = 0; i < 100; i++) {
            throttle.recordFailure("admin", "203.0.113." + (i % 50));
        }
        Duration wait = throttle.waitFor("admin", "192.168.1.10");
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        clock.advance(wait);
        assertThat(throttle.waitFor("admin", "192.168.1.10")).isZero();
        throttle.recordSuccess("admin", "192.168.1.10");
        assertThat(throttle.waitFor("admin", "192.168.1.10")).isZero();
    }

    @Test
    void unknown_usernames_are_throttled_like_real_ones_and_names_ignore_case() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("No-Such-User", "10.0.0.7");
        }
        assertThat(throttle.waitFor("no-such-user", "10.0.0.7")).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.waitFor("someone-else", "10.0.0.7")).as("other accounts from the address still free")
                .isZero();
    }
}
