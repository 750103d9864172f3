/**
 * The repository: opening with a password ({@link io.cairn.engine.repository.KeyFile}s wrap the
 * master key), the sealed config, loading the index, reading blobs, trees and snapshots
 * ({@link io.cairn.engine.repository.Repository}), writing new blobs into packs
 * ({@link io.cairn.engine.repository.BlobWriter}) and locks
 * ({@link io.cairn.engine.repository.RepositoryLock}). Errors a user can act on are
 * {@link io.cairn.engine.repository.RepositoryException}s carrying the CLI exit code.
 */
package io.cairn.engine.repository;
