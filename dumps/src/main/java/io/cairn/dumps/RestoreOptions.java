package io.cairn.dumps;

import java.util.function.Consumer;

/**
 * How to restore.
 *
 * @param createDatabase create the target database when it does not exist (otherwise a missing target
 *                       fails with {@link CheckStatus#DATABASE_MISSING})
 * @param overwrite      allow restoring into a database that already holds data. Every object the
 *                       dump contains (table, key, collection, the SQLite file) replaces the target's
 *                       object of the same name; objects the dump lacks are left in place. Without it
 *                       a non-empty target is refused and nothing is changed
 * @param toolOutput     receives each line the restore tool writes to stderr, masked; never null
 */
public record RestoreOptions(boolean createDatabase, boolean overwrite, Consumer<String> toolOutput) {

    public RestoreOptions {
        toolOutput = toolOutput == null ? line -> { } : toolOutput;
    }

    /** Defaults: the target must exist and be empty. */
    public static RestoreOptions defaults() {
        return new RestoreOptions(false, false, null);
    }

    /** These options, creating the target database when it is missing. */
    public RestoreOptions creatingDatabase() {
        return new RestoreOptions(true, overwrite, toolOutput);
    }

    /** These options, allowing a non-empty target (see {@link #overwrite()}). */
    public RestoreOptions overwriting() {
        return new RestoreOptions(createDatabase, true, toolOutput);
    }

    /** These options with tool output sent to {@code sink}. */
    public RestoreOptions withToolOutput(Consumer<String> sink) {
        return new RestoreOptions(createDatabase, overwrite, sink);
    }
}
