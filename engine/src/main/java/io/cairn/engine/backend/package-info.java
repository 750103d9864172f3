/**
 * Storage backends: where a repository's files live.
 *
 * <p>Glossary: a <b>file</b> (object) is an immutable byte string stored under a {@link
 * io.cairn.engine.backend.FileHandle} (type + hex name). The {@link io.cairn.engine.backend.Backend}
 * interface states the guarantees (atomic, durable, immutable, read-after-write, idempotent delete,
 * ranged reads, no rename) that the repository layer relies on for crash safety. Every implementation
 * must pass the contract suite in the testkit module ({@code BackendContract}).
 *
 * <p>Implementations here: {@link io.cairn.engine.backend.LocalBackend}, a repository in a local
 * directory, which publishes each object from a <b>temporary file</b> ({@code .tmp-*}, never listed,
 * never a valid object name) with a hard link so that an existing object is never replaced.
 */
package io.cairn.engine.backend;
