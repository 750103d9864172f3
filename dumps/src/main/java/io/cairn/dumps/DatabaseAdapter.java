package io.cairn.dumps;

import java.io.InputStream;

/**
 * One kind of database behind one interface: test a connection, describe what is there, dump it to a
 * stream, restore a stream into a database. Get one from {@link DatabaseAdapters}.
 *
 * <h2>Guarantees every implementation gives</h2>
 * <ul>
 *   <li><b>No secret leaks.</b> The password reaches a tool only through its environment or a 0600
 *       temporary file deleted afterwards, never its command line (visible in {@code ps}); it never
 *       appears in a message, an exception, a warning or a line passed to an output sink
 *       ({@link SecretMasker} is applied to everything a tool or driver says).</li>
 *   <li><b>Expected failures are values.</b> {@link #test} never throws for a wrong password, an
 *       unreachable host, a missing database or tool, a TLS or permission problem: it returns a
 *       {@link ConnectionCheck} whose message says what to do. The other operations throw a
 *       {@link DatabaseException} carrying the same {@link CheckStatus} and kind of message.</li>
 *   <li><b>A truncated dump never looks complete.</b> See {@link Dump}: success is only reported
 *       after the stream was read to EOF and every tool exited 0.</li>
 *   <li><b>Consistent dumps.</b> A single database is dumped as of one point in time (PostgreSQL's
 *       snapshot, InnoDB's {@code --single-transaction}, Redis's fork, SQLite's backup API) while the
 *       database stays in use. MongoDB through the driver is consistent per collection only.</li>
 *   <li><b>Deduplication-friendly output.</b> Dumps are never compressed by the tool: the repository
 *       chunks, deduplicates and compresses them, which compressed input would defeat.</li>
 *   <li><b>Restore refuses to clobber.</b> {@link #restore} refuses a non-empty target unless
 *       {@link RestoreOptions#overwrite()} is set, and creates a missing one only when
 *       {@link RestoreOptions#createDatabase()} is set. (A MongoDB restore of some collections refuses only
 *       a target that already has one of them: it leaves the others untouched, so it clobbers nothing else.)</li>
 *   <li><b>Own scope.</b> An operation touches only the database its spec names (or all databases
 *       when the spec names none and the kind supports that).</li>
 * </ul>
 * Implementations are stateless and safe for concurrent use; every call opens its own connections.
 */
public interface DatabaseAdapter {

    /** The kind of database this adapter handles. */
    SourceKind kind();

    /**
     * Checks that a backup would work: the tools are installed and new enough, the server answers,
     * the login works, the database exists and may be read. Never throws for these expected failures.
     */
    ConnectionCheck test(ConnectionSpec spec);

    /**
     * The server version, the size, and per database (the one named, or all) its tables,
     * collections or keyspaces with row, document or key counts.
     */
    DatabaseDescription describe(ConnectionSpec spec) throws DatabaseException;

    /**
     * Starts a dump of the database named by {@code spec} (all databases when it names none and the
     * kind supports that). Fails fast, before any byte is streamed, for a missing tool and for an
     * invalid spec; failures of the tool itself surface through {@link Dump#awaitSuccess()}.
     */
    Dump dump(ConnectionSpec spec, DumpOptions options) throws DatabaseException;

    /**
     * Loads a dump made by {@link #dump} into {@code target}, reading {@code dump} to its end. The
     * caller closes {@code dump}. Refuses a non-empty target unless allowed by {@code options}.
     * A dump of all databases is restored into a server spec that names no database.
     */
    RestoreResult restore(ConnectionSpec target, InputStream dump, RestoreOptions options) throws DatabaseException;
}
