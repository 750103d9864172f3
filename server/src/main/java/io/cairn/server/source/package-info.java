/**
 * Sources and projects: what Cairn backs up.
 * <ul>
 *   <li><b>Source</b>: one thing to back up — a PostgreSQL, MySQL/MariaDB, Redis or MongoDB server (one
 *       database or all of them), a SQLite file, or files and folders on this server — and the repository
 *       its backups go to. Connection settings are structured fields (host, port, database, user, TLS
 *       mode), never a raw connection string. The password is write-only: sealed with the server's secret
 *       key, shown only as "set", never logged or returned.</li>
 *   <li><b>Project</b>: sources that belong together (an application's database and its files); backing
 *       up a project backs up each of its sources.</li>
 * </ul>
 * {@link io.cairn.server.source.SourceService} and {@link io.cairn.server.source.ProjectService} are the
 * feature's API; pages and the JSON API both call them.
 */
package io.cairn.server.source;
