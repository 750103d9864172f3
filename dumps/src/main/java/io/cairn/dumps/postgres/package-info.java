/**
 * PostgreSQL: {@link io.cairn.dumps.postgres.PostgresAdapter} dumps one database in pg_dump's custom
 * format without compression ({@code NAME.pgdump}), or a whole server as a marked plain SQL script
 * ({@code all-databases.sql}), and restores both. Glossary: <b>globals</b> are what
 * {@code pg_dumpall --globals-only} writes (roles, memberships, tablespaces); a <b>marker</b> is a
 * comment line {@code -- cairn-dump TOKEN ...} that separates the parts of an all-databases script.
 */
package io.cairn.dumps.postgres;
