/**
 * Database adapters: test a connection, describe a database, dump it to a stream, restore a stream
 * into a database, for PostgreSQL, MySQL/MariaDB, Redis, MongoDB and SQLite. A plain library: no
 * Spring, no dependency on the engine; the server and CLI put a {@link io.cairn.dumps.Dump}'s stream
 * into a snapshot.
 *
 * <p>Glossary: a {@link io.cairn.dumps.ConnectionSpec} says where a database is and how to log in
 * (structured fields only, validated; the password is a {@link io.cairn.dumps.Secret} that never
 * prints). A {@link io.cairn.dumps.DatabaseAdapter} is one kind of database behind one interface; its
 * Javadoc states the guarantees every adapter gives. A {@link io.cairn.dumps.ConnectionCheck} is the
 * outcome of a test, with a {@link io.cairn.dumps.CheckStatus} and a message saying what to do. A
 * {@link io.cairn.dumps.Dump} is a running dump: read its stream to the end, then
 * {@link io.cairn.dumps.Dump#awaitSuccess()} tells whether the bytes are a complete dump. Expected
 * failures are {@link io.cairn.dumps.DatabaseException}s carrying a status; everything a tool or
 * driver says passes through {@link io.cairn.dumps.SecretMasker} first.
 *
 * <p>Every adapter passes the contract test suite {@code DatabaseAdapterContract} against a real
 * server (MongoDB: an in-process wire-protocol server; see the MongoDB adapter).
 */
package io.cairn.dumps;
