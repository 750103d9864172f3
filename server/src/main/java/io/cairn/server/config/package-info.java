/**
 * Server configuration: the {@code cairn.*} properties ({@link io.cairn.server.config.CairnProperties}),
 * the data directory, the metadata database (SQLite in the data directory, or PostgreSQL) and the
 * injected {@link java.time.Clock}. Nothing here knows about features.
 */
package io.cairn.server.config;
