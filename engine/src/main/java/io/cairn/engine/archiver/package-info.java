/**
 * Backing up: {@link io.cairn.engine.archiver.Archiver} turns directory trees, a stream or a
 * command's output into a snapshot, reusing unchanged files from a parent snapshot, with include
 * and exclude globs ({@link io.cairn.engine.archiver.PathFilter}) and progress events.
 */
package io.cairn.engine.archiver;
