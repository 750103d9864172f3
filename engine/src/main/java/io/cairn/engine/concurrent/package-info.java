/**
 * Small helpers for the engine's worker threads: {@link io.cairn.engine.concurrent.Await} waits for
 * a task and rethrows its failure unwrapped, so exit codes and messages survive the thread hop;
 * {@link io.cairn.engine.concurrent.BufferPool} recycles the large arrays that travel between them.
 */
package io.cairn.engine.concurrent;
