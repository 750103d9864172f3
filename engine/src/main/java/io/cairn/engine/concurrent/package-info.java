/**
 * Small helpers for the engine's worker threads: {@link io.cairn.engine.concurrent.Await} waits for
 * a task and rethrows its failure unwrapped, so exit codes and messages survive the thread hop;
 * {@link io.cairn.engine.concurrent.BufferPool} recycles the large arrays that travel between them;
 * {@link io.cairn.engine.concurrent.TreeWalkThreads} makes threads with room to walk the deepest directory trees.
 */
package io.cairn.engine.concurrent;
