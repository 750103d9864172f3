package io.cairn.engine.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a backup did: counts of files by outcome, bytes read, bytes added to the repository (before
 * and after compression), and duration.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotSummary(long filesNew, long filesChanged, long filesUnmodified, long dirs, long totalFiles,
                              long totalBytes, long bytesRead, long dataBlobsAdded, long treeBlobsAdded,
                              long dataAdded, long dataAddedPacked, long durationMs, long warnings) {
}
