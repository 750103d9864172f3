package io.cairn.engine.concurrent;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waits for work done on other threads and rethrows its failure as it was: an {@link IOException}
 * stays an {@code IOException}, a runtime exception (such as a {@code RepositoryException} with its
 * exit code) stays itself, instead of arriving wrapped in {@link ExecutionException}.
 */
public final class Await {

    private Await() {
    }

    /**
     * The result of {@code future}.
     *
     * @param operation what is waited for, for the message when the waiting thread is interrupted
     */
    public static <T> T result(Future<T> future, String operation) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(operation + " interrupted", e);
        } catch (ExecutionException | CompletionException e) {
            throw rethrow(e.getCause() != null ? e.getCause() : e);
        }
    }

    /**
     * Throws {@code cause} if it is unchecked, or returns it (or an {@code IOException} wrapping it)
     * for the caller to throw: {@code throw Await.rethrow(t);}.
     */
    public static IOException rethrow(Throwable cause) {
        if (cause instanceof CompletionException || cause instanceof ExecutionException) {
            if (cause.getCause() != null) {
                return rethrow(cause.getCause());
            }
        }
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IOException(cause);
    }
}
