package io.cairn.server.job;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupResult;
import java.io.IOException;
import java.util.Map;

/**
 * How one kind of source is read into a snapshot: files through the engine's walker, a database
 * through its dump adapter. One instance per job.
 */
interface SourceReader {

    /** What the backup will hold (server version, tables and row counts…), recorded with the job; may be empty. */
    Map<String, Object> describe() throws IOException;

    /** Writes the snapshot; fails (and writes none) if the source could not be read completely. */
    BackupResult backup(Archiver archiver) throws IOException;

    /** Stops a running backup from another thread (kills a dump tool). */
    void cancel();
}
