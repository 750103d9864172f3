/**
 * Progress reporting: operations emit {@link io.cairn.engine.progress.ProgressEvent}s (start/end
 * pairs for operations and files, periodic status with files, bytes read, bytes added, rate, ETA,
 * current path) to a {@link io.cairn.engine.progress.ProgressListener} the caller supplies.
 */
package io.cairn.engine.progress;
