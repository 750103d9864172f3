package io.cairn.dumps.tool;

import io.cairn.dumps.CheckStatus;

/**
 * Turns what a tool wrote to stderr into a {@link CheckStatus} and a hint saying what to do next.
 * Each adapter has one, built from the messages of its tools.
 */
@FunctionalInterface
public interface ErrorClassifier {

    /** A status and a hint ("check the password saved for this source"); the hint may be empty. */
    record Classification(CheckStatus status, String hint) {
    }

    /** Classifies {@code stderr} (already masked; may be empty). */
    Classification classify(String stderr);

    /** A classifier that always answers {@link CheckStatus#OTHER} without a hint. */
    static ErrorClassifier none() {
        return stderr -> new Classification(CheckStatus.OTHER, "");
    }
}
