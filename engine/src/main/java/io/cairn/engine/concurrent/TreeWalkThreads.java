package io.cairn.engine.concurrent;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The stack a thread needs to walk a directory tree. Backups, restores, checks, diffs and archive dumps
 * recurse once per directory level; on the JVM's default stack (1 MiB, 512 KiB in the server) a tree
 * about a thousand levels deep overflowed it. A path may name up to ~2,000 levels (PATH_MAX is 4,096
 * bytes), so a thread that walks trees is made with {@link #STACK_SIZE}: the JVM reserves it as address
 * space and the memory is used only as deep as a walk goes.
 */
public final class TreeWalkThreads {

    /** 64 MiB: tens of thousands of levels, far more than any path can name. */
    public static final long STACK_SIZE = 64L << 20;

    private TreeWalkThreads() {
    }

    /** A thread for {@code task} with {@link #STACK_SIZE} of stack, named {@code name}, not yet started. */
    public static Thread newThread(Runnable task, String name) {
        return new Thread(null, task, name, STACK_SIZE);
    }

    /** What {@link #call} runs: a walk that may throw an {@link IOException}. */
    @FunctionalInterface
    public interface Walk<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code walk} on a thread of {@link #newThread} while the calling thread (a request thread with a
     * small stack) waits, and returns its result or rethrows its exception or error as it was ({@link Await}).
     */
    public static <T> T call(Walk<T> walk) throws IOException {
        CompletableFuture<T> result = new CompletableFuture<>();
        newThread(() -> {
            try {
                result.complete(walk.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "cairn-walk-" + Thread.currentThread().getName()).start();
        return Await.result(result, "walking a tree");
    }
}
