package io.cairn.testkit;

import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.LocalBackend;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The wrappers change nothing they are not told to: with no faults and no damage they pass the contract. */
class WrappingBackendsContractTest {

    @Nested
    class FaultInjectingWithoutFaults extends BackendContract {
        @Override
        protected Backend newBackend() {
            return new FaultInjectingBackend(new InMemoryBackend());
        }
    }

    @Nested
    class FaultInjectingWithRulesThatNeverFire extends BackendContract {
        @Override
        protected Backend newBackend() {
            return new FaultInjectingBackend(new InMemoryBackend())
                    .on(FaultInjectingBackend.Operation.SAVE).forHandles(handle -> false).failWithDiskFull()
                    .on(FaultInjectingBackend.Operation.LOAD).onCall(Integer.MAX_VALUE).failWithDiskFull();
        }
    }

    @Nested
    class CorruptingWithoutDamage extends BackendContract {
        @TempDir
        Path directory;

        @Override
        protected Backend newBackend() {
            return new CorruptingBackend(new LocalBackend(directory.resolve("repository")));
        }
    }

    @Nested
    class CorruptingWithDamageThatMatchesNothing extends BackendContract {
        @Override
        protected Backend newBackend() {
            return new CorruptingBackend(new InMemoryBackend())
                    .flipBit(handle -> false, 0, 0)
                    .truncate(handle -> false, 0);
        }
    }
}
