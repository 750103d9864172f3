/**
 * Restores: getting a backup back, into a database or a folder, as an operation that is recorded, runs in
 * the background and reports its progress step by step.
 * <ul>
 *   <li><b>Restore</b> (operation): one backup (a job's snapshot) restored to one target by one person.
 *       QUEUED → RUNNING → SUCCEEDED, FAILED or CANCELLED; its progress is a step ("Restoring database
 *       shop_restored", step 2 of 2) and bytes current/total; when it ends it keeps what it restored
 *       (databases, tables, rows, files, bytes) or the error. A restore that was running when the server
 *       stopped is marked FAILED at the next start.</li>
 *   <li><b>Target</b>: a database on the source's server (a <em>new</em> database by default), a Redis
 *       database index, a SQLite file, or a folder on the server (a new folder under the data directory
 *       by default, or the original location).</li>
 *   <li><b>Plan</b>: what a request would do, worked out before anything is written: the target in words,
 *       whether it already holds data, and so whether the request overwrites. Overwriting needs the
 *       request's {@code confirm} to repeat the target's name (the typed acknowledgement); a plan
 *       that does not overwrite needs nothing.</li>
 *   <li><b>Roles and permissions</b> ({@code withRoles}, PostgreSQL and MySQL/MariaDB): when not asked either
 *       way, on for one database restored over itself (in place) and off otherwise. Off, a restore changes
 *       nothing server-wide (restored objects belong to the user Cairn restores as); on, the
 *       roles or accounts the backup names that the server lacks are created, existing ones are left as they
 *       are, and owners, definers and grants are kept. Recorded with the operation's request.</li>
 * </ul>
 * Restores only read the repository; they hold a shared repository lock while they run, so prune (which
 * takes the exclusive lock) waits for them. {@link io.cairn.server.restore.RestoreService} is the feature's
 * API.
 */
package io.cairn.server.restore;
