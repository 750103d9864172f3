/**
 * Backups' files without restoring them: browse, search, preview, download, compare.
 *
 * <h2>Glossary</h2>
 * <ul>
 *   <li><b>Browse session</b> ("mount" in the API, after the dashboard plans' wording): one user reading
 *       one backup, with a random id. Kept in the metadata database (table {@code browse_sessions}), so
 *       every server sharing a PostgreSQL database knows it. It ends when closed, or after
 *       {@link io.cairn.server.snapshot.BrowseService#IDLE_TIMEOUT} unused (each use starts that again).
 *       Only its owner uses it; an admin may see and close anyone's.</li>
 *   <li><b>Catalog</b>: every directory listing of one snapshot, in a SQLite file under
 *       {@code <data-dir>/catalogs/}, built from the repository on the snapshot's first browse (ADR 0010).
 *       A cache: deleting it only means it is built again. A page of a folder is one range read on
 *       {@code (folder, position)}, whatever the folder's size.</li>
 *   <li><b>Snapshot path</b>: "/" or "/a/b". Requested paths are normalised by {@code BrowsePaths}; "..",
 *       ".", backslashes, control characters, and the same percent-encoded once or twice more are refused
 *       with a 400 problem before anything is read.</li>
 *   <li><b>Signed link</b>: {@code /downloads/<token>}, HMAC-signed (key derived from the server's secret
 *       key) over the session id, the paths, the format and an expiry a few minutes ahead. It works
 *       without signing in until it expires, and only while its session is open.</li>
 *   <li><b>Preview</b>: the first 64 KiB of a text file, with values of secret-looking keys (password,
 *       secret, token, key, credential…) replaced by {@code REDACTED}.</li>
 *   <li><b>Diff</b>: what changed between two backups of one source: files added, removed and changed
 *       ({@link io.cairn.engine.browse.SnapshotDiff}), and tables whose recorded row counts differ.</li>
 * </ul>
 *
 * <h2>Contract</h2>
 * {@link io.cairn.server.snapshot.BrowseService} is the feature's API; the HTML controller and the JSON
 * controllers only parse, call it and render. Nothing here writes to a repository. Every session opened
 * or closed, every preview and every download (by API, page or signed link) is in the audit log.
 */
package io.cairn.server.snapshot;
