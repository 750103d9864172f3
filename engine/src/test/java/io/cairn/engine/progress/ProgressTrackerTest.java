package io.cairn.engine.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Status arithmetic (rate, ETA, percent) on an injected clock, and the start/end pair. */
class ProgressTrackerTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    @Test
    void statusComputesRateEtaAndPercentFromTheClock() {
        ManualClock clock = new ManualClock();
        List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (ProgressTracker tracker = new ProgressTracker("backup", "test", events::add, clock, Duration.ZERO)) {
            tracker.bytesTotal.set(1000);
            tracker.filesTotal.set(4);
            clock.advance(Duration.ofSeconds(2));
            tracker.bytesDone.set(250);
            tracker.filesDone.set(1);
            tracker.bytesAdded.set(100);
            tracker.currentPath("/srv/a");

            ProgressEvent.Status s = tracker.status();

            assertThat(s.operation()).isEqualTo("backup");
            assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(2));
            assertThat(s.bytesPerSecond()).isEqualTo(125.0);
            assertThat(s.eta()).isEqualTo(Duration.ofSeconds(6));
            assertThat(s.percent()).isEqualTo(25.0);
            assertThat(s.currentPath()).isEqualTo("/srv/a");
            assertThat(s.filesDone()).isOne();
            assertThat(s.bytesAdded()).isEqualTo(100);
        }
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isEqualTo(new ProgressEvent.OperationStarted("backup", "test"));
        assertThat(events.get(1)).isInstanceOfSatisfying(ProgressEvent.OperationEnded.class, e -> {
            assertThat(e.success()).isTrue();
            assertThat(e.error()).isNull();
            assertThat(e.finalStatus().bytesDone()).isEqualTo(250);
        });
    }

    @Test
    void unknownTotalsGiveNoEtaAndNoPercent() {
        ManualClock clock = new ManualClock();
        ProgressTracker tracker = new ProgressTracker("restore", "t", ProgressListener.NONE, clock, Duration.ZERO);
        clock.advance(Duration.ofSeconds(1));
        tracker.bytesDone.set(10);
        ProgressEvent.Status s = tracker.status();
        assertThat(s.eta()).isNull();
        assertThat(s.percent()).isEqualTo(-1);
        assertThat(s.filesTotal()).isEqualTo(-1);
        tracker.bytesTotal.set(5);
        assertThat(tracker.status().percent()).isEqualTo(100.0);
        assertThat(tracker.status().eta()).isEqualTo(Duration.ZERO);
    }

    @Test
    void endIsReportedOnceAndCarriesTheError() {
        List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
        ProgressTracker tracker = new ProgressTracker("check", "t", events::add, new ManualClock(), Duration.ZERO);
        tracker.end(new IllegalStateException("pack 1234 is damaged"));
        tracker.end(null);
        tracker.close();

        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isInstanceOfSatisfying(ProgressEvent.OperationEnded.class, e -> {
            assertThat(e.success()).isFalse();
            assertThat(e.error()).isEqualTo("pack 1234 is damaged");
        });
    }

    @Test
    void statusEventsTickAtTheIntervalAndStopBeforeTheEnd() throws InterruptedException {
        List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
        ProgressTracker tracker = new ProgressTracker("backup", "t", events::add, Clock.systemUTC(), Duration.ofMillis(2));
        Thread.sleep(60);
        tracker.end(null);
        int size = events.size();
        Thread.sleep(20);

        assertThat(events).hasSize(size);
        assertThat(events).filteredOn(ProgressEvent.Status.class::isInstance).hasSizeGreaterThan(3);
        assertThat(events.get(events.size() - 1)).isInstanceOf(ProgressEvent.OperationEnded.class);
    }

    /** A status being delivered when the operation ends must arrive before the end, not after it. */
    @Test
    void noStatusArrivesAfterTheEndEvenFromASlowListener() throws InterruptedException {
        List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch inStatus = new java.util.concurrent.CountDownLatch(1);
        ProgressListener slow = event -> {
            if (event instanceof ProgressEvent.Status) {
                inStatus.countDown();
                long until = System.nanoTime() + 50_000_000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // a listener busy for 50 ms, deaf to interrupts
                }
            }
            events.add(event);
        };
        ProgressTracker tracker = new ProgressTracker("backup", "t", slow, Clock.systemUTC(), Duration.ofMillis(1));
        assertThat(inStatus.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        tracker.end(null);
        Thread.sleep(100);

        assertThat(events.get(events.size() - 1)).isInstanceOf(ProgressEvent.OperationEnded.class);
        assertThat(events).filteredOn(ProgressEvent.OperationEnded.class::isInstance).hasSize(1);
    }
}
