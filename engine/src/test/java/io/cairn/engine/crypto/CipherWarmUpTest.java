package io.cairn.engine.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cipher warm-up runs on its own daemon thread, returns at once, and finishes without error; with native crypto
 * in charge (the engine's default test run) there is nothing to warm and no thread starts.
 */
class CipherWarmUpTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theWarmUpRunsBesideTheCallerAndEnds() throws InterruptedException {
        long start = System.nanoTime();
        CipherWarmUp.startInBackground();
        long returnedAfterMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(returnedAfterMs).as("startInBackground returns without doing the work").isLessThan(500);
        Thread warmUp = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("cairn-cipher-warm-up")).findFirst().orElse(null);
        if (NativeCrypto.inCharge()) {
            assertThat(warmUp).as("no warm-up when the native AES-GCM is in charge").isNull();
            return;
        }
        if (Runtime.getRuntime().availableProcessors() < 2) {
            assertThat(warmUp).as("no warm-up on one core").isNull();
            return;
        }
        if (warmUp != null) { // null: it has already finished
            assertThat(warmUp.isDaemon()).as("a daemon: it never holds up the command's exit").isTrue();
            warmUp.join();
        }
    }

    @Test
    void theWarmUpItselfSealsAndOpensWithoutError() {
        CipherWarmUp.run();
    }
}
