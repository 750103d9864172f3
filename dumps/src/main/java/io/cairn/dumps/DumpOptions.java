package io.cairn.dumps;

import java.util.function.Consumer;

/**
 * How to dump.
 *
 * @param toolOutput receives each line the dump tool writes to stderr, already masked (progress and
 *                   warnings for the job log); never null
 */
public record DumpOptions(Consumer<String> toolOutput) {

    public DumpOptions {
        toolOutput = toolOutput == null ? line -> { } : toolOutput;
    }

    /** Defaults: tool output is dropped (its last lines still appear in a failure's message). */
    public static DumpOptions defaults() {
        return new DumpOptions(null);
    }

    /** These options with tool output sent to {@code sink}. */
    public DumpOptions withToolOutput(Consumer<String> sink) {
        return new DumpOptions(sink);
    }
}
