package io.cairn.testkit;

import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.BackendFullException;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileType;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Wraps a {@link Backend} and makes chosen calls fail, to prove that callers survive faults a real
 * backend produces rarely or only under conditions a test cannot arrange (the disk filling up in
 * the middle of a backup, a network error on the third pack upload, a save that reached the
 * storage but whose reply was lost).
 *
 * <pre>{@code
 * FaultInjectingBackend backend = new FaultInjectingBackend(new InMemoryBackend())
 *         .on(Operation.SAVE).onCall(3).failWith(() -> new IOException("connection reset"))
 *         .on(Operation.SAVE).forType(FileType.PACK).fromCall(10).failWithDiskFull()
 *         .on(Operation.LOAD).forHandles(h -> h.name().startsWith("ab")).failWith(() -> new IOException("EIO"))
 *         .on(Operation.SAVE).forType(FileType.INDEX).onCall(1).afterTakingEffect()
 *                 .failWith(() -> new IOException("timeout after upload"));
 * }</pre>
 *
 * <h2>Rules</h2>
 * A rule names one {@link Operation}, optionally filters the calls it considers (by handle or by
 * type) and optionally picks which of those calls fail: only the Nth ({@link FaultRule#onCall}),
 * the Nth and every later one ({@link FaultRule#fromCall}), or, with neither, every call. Call
 * numbers start at 1 and count, per rule, the calls that pass the rule's filters, whether or not
 * they failed. When several rules fire on one call, the one added first wins.
 *
 * <p>By default a failing call does not reach the wrapped backend, so nothing happens there (as for
 * a full disk). With {@link FaultRule#afterTakingEffect()} the call is carried out first and then
 * reported as failed; if the wrapped backend itself fails, that failure is reported instead.
 *
 * <p>Every call is counted per operation ({@link #calls}). Safe for concurrent use; rules may be
 * added and cleared while other threads use the backend.
 */
public final class FaultInjectingBackend implements Backend {

    /** The backend calls a rule can target; {@link #LOAD} and {@link #LOAD_RANGE} are the two {@code load} methods. */
    public enum Operation {
        CREATE(false), EXISTS(true), SAVE(true), LOAD(true), LOAD_RANGE(true), OPEN(true), SIZE(true),
        LIST(false), DELETE(true), FREE_SPACE(false);

        private final boolean takesHandle;

        Operation(boolean takesHandle) {
            this.takesHandle = takesHandle;
        }

        /** Whether calls of this operation name one object. */
        public boolean takesHandle() {
            return takesHandle;
        }
    }

    private final Backend wrapped;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicIntegerArray calls = new AtomicIntegerArray(Operation.values().length);
    private final AtomicIntegerArray injected = new AtomicIntegerArray(Operation.values().length);

    public FaultInjectingBackend(Backend wrapped) {
        this.wrapped = Objects.requireNonNull(wrapped, "wrapped");
    }

    /** The backend calls are passed to. */
    public Backend wrapped() {
        return wrapped;
    }

    /** Starts a rule for {@code operation}; the rule takes effect when one of its {@code failWith} methods is called. */
    public FaultRule on(Operation operation) {
        return new FaultRule(Objects.requireNonNull(operation, "operation"));
    }

    /** Removes every rule; call counts are kept. */
    public FaultInjectingBackend clearFaults() {
        rules.clear();
        return this;
    }

    /** How many times {@code operation} was called, including calls that failed. */
    public int calls(Operation operation) {
        return calls.get(operation.ordinal());
    }

    /** How many calls of {@code operation} failed because of a rule. */
    public int injectedFailures(Operation operation) {
        return injected.get(operation.ordinal());
    }

    /** How many calls of any operation failed because of a rule. */
    public int injectedFailures() {
        int total = 0;
        for (int i = 0; i < injected.length(); i++) {
            total += injected.get(i);
        }
        return total;
    }

    /** The failure a full disk produces at this backend's location; {@code handle} may be null. */
    public BackendFullException diskFull(FileHandle handle) {
        String what = handle == null ? "nothing was written" : "nothing was written for object " + handle;
        return new BackendFullException("the disk at " + location()
                + " is full (No space left on device, injected by test): " + what + "; free space and retry", null);
    }

    @Override
    public String location() {
        return wrapped.location();
    }

    @Override
    public void create() throws IOException {
        Rule fired = before(Operation.CREATE, null, null);
        wrapped.create();
        after(fired, null);
    }

    @Override
    public boolean exists(FileHandle handle) throws IOException {
        Rule fired = before(Operation.EXISTS, handle, handle.type());
        boolean result = wrapped.exists(handle);
        after(fired, handle);
        return result;
    }

    @Override
    public void save(FileHandle handle, byte[] data) throws IOException {
        Rule fired = before(Operation.SAVE, handle, handle.type());
        wrapped.save(handle, data);
        after(fired, handle);
    }

    @Override
    public byte[] load(FileHandle handle) throws IOException {
        Rule fired = before(Operation.LOAD, handle, handle.type());
        byte[] result = wrapped.load(handle);
        after(fired, handle);
        return result;
    }

    @Override
    public byte[] load(FileHandle handle, long offset, int length) throws IOException {
        Rule fired = before(Operation.LOAD_RANGE, handle, handle.type());
        byte[] result = wrapped.load(handle, offset, length);
        after(fired, handle);
        return result;
    }

    @Override
    public InputStream open(FileHandle handle) throws IOException {
        Rule fired = before(Operation.OPEN, handle, handle.type());
        InputStream result = wrapped.open(handle);
        if (fired != null) {
            result.close();
        }
        after(fired, handle);
        return result;
    }

    @Override
    public long size(FileHandle handle) throws IOException {
        Rule fired = before(Operation.SIZE, handle, handle.type());
        long result = wrapped.size(handle);
        after(fired, handle);
        return result;
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        Rule fired = before(Operation.LIST, null, type);
        List<FileInfo> result = wrapped.list(type);
        after(fired, null);
        return result;
    }

    @Override
    public void delete(FileHandle handle) throws IOException {
        Rule fired = before(Operation.DELETE, handle, handle.type());
        wrapped.delete(handle);
        after(fired, handle);
    }

    @Override
    public long freeSpace() throws IOException {
        Rule fired = before(Operation.FREE_SPACE, null, null);
        long result = wrapped.freeSpace();
        after(fired, null);
        return result;
    }

    @Override
    public void close() throws IOException {
        wrapped.close();
    }

    /**
     * Counts the call, advances every matching rule and returns the rule that fires after the call
     * takes effect, or null. A rule that fires before the call throws here.
     */
    private Rule before(Operation operation, FileHandle handle, FileType type) throws IOException {
        calls.incrementAndGet(operation.ordinal());
        Rule firing = null;
        for (Rule rule : rules) {
            if (rule.advance(operation, handle, type) && firing == null) {
                firing = rule;
            }
        }
        if (firing == null) {
            return null;
        }
        if (firing.afterTakingEffect()) {
            return firing;
        }
        throw injectedFailure(firing, handle);
    }

    private void after(Rule fired, FileHandle handle) throws IOException {
        if (fired != null) {
            throw injectedFailure(fired, handle);
        }
    }

    private IOException injectedFailure(Rule rule, FileHandle handle) {
        injected.incrementAndGet(rule.operation().ordinal());
        IOException failure = rule.failure().apply(handle);
        if (failure == null) {
            throw new IllegalStateException("the failure supplier of a rule on " + rule.operation() + " returned null");
        }
        return failure;
    }

    /**
     * A rule being built; {@link #failWith} or {@link #failWithDiskFull} adds it to the backend and
     * returns the backend, so rules chain.
     */
    public final class FaultRule {
        private final Operation operation;
        private Predicate<FileHandle> handles;
        private FileType type;
        private int firstCall;
        private boolean onlyFirstCall;
        private boolean afterTakingEffect;

        private FaultRule(Operation operation) {
            this.operation = operation;
        }

        /** Considers only calls on handles matching {@code predicate}; not for operations without a handle. */
        public FaultRule forHandles(Predicate<FileHandle> predicate) {
            if (!operation.takesHandle()) {
                throw new IllegalArgumentException(operation + " calls name no object; filter them with forType, if at all");
            }
            this.handles = Objects.requireNonNull(predicate, "predicate");
            return this;
        }

        /** Considers only calls on objects of {@code fileType} (for {@link Operation#LIST}: listings of that type). */
        public FaultRule forType(FileType fileType) {
            if (!operation.takesHandle() && operation != Operation.LIST) {
                throw new IllegalArgumentException(operation + " calls have no file type");
            }
            this.type = Objects.requireNonNull(fileType, "fileType");
            return this;
        }

        /** Fails only the {@code n}th considered call (1 = the first). */
        public FaultRule onCall(int n) {
            requirePositive(n);
            this.firstCall = n;
            this.onlyFirstCall = true;
            return this;
        }

        /** Fails the {@code n}th considered call and every one after it. */
        public FaultRule fromCall(int n) {
            requirePositive(n);
            this.firstCall = n;
            this.onlyFirstCall = false;
            return this;
        }

        /** Carries the call out on the wrapped backend first, then reports it as failed. */
        public FaultRule afterTakingEffect() {
            this.afterTakingEffect = true;
            return this;
        }

        /** Adds the rule: the chosen calls fail with a fresh exception from {@code failure}. */
        public FaultInjectingBackend failWith(Supplier<? extends IOException> failure) {
            Objects.requireNonNull(failure, "failure");
            return add(handle -> failure.get());
        }

        /** Adds the rule: the chosen calls fail with {@link BackendFullException}, as on a full disk. */
        public FaultInjectingBackend failWithDiskFull() {
            return add(FaultInjectingBackend.this::diskFull);
        }

        private FaultInjectingBackend add(Function<FileHandle, ? extends IOException> failure) {
            rules.add(new Rule(operation, handles, type, firstCall, onlyFirstCall, afterTakingEffect, failure, new AtomicInteger()));
            return FaultInjectingBackend.this;
        }

        private static void requirePositive(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("call numbers start at 1, got " + n);
            }
        }
    }

    private record Rule(Operation operation, Predicate<FileHandle> handles, FileType type, int firstCall,
                        boolean onlyFirstCall, boolean afterTakingEffect, Function<FileHandle, ? extends IOException> failure,
                        AtomicInteger considered) {

        /** Counts the call if this rule considers it and answers whether the rule fires on it. */
        boolean advance(Operation calledOperation, FileHandle handle, FileType calledType) {
            if (calledOperation != operation
                    || (type != null && type != calledType)
                    || (handles != null && !handles.test(handle))) {
                return false;
            }
            int number = considered.incrementAndGet();
            if (firstCall == 0) {
                return true;
            }
            return onlyFirstCall ? number == firstCall : number >= firstCall;
        }
    }
}
