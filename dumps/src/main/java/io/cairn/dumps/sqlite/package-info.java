/**
 * SQLite: {@link io.cairn.dumps.sqlite.SqliteAdapter} copies a database file with SQLite's online
 * backup API (consistent while the database is in use) and restores it through the same API.
 * A "database" here is one file; host, port, user and password do not apply.
 */
package io.cairn.dumps.sqlite;
