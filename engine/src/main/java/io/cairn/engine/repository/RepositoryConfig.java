package io.cairn.engine.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The repository's settings, stored sealed in the {@code config} object. Fixed at init: chunker
 * parameters must never change, or deduplication against older snapshots is lost.
 *
 * @param version        repository format version (1)
 * @param id             random repository id (hex)
 * @param chunkerMin     minimum chunk size in bytes
 * @param chunkerAvg     average (target) chunk size in bytes, a power of two
 * @param chunkerMax     maximum chunk size in bytes
 * @param chunkerNormalization FastCDC normalization level
 * @param chunkerSeed    base64 of the 32-byte seed of the gear table (secret)
 * @param compression    default compression for new blobs (off, fast, default, max)
 * @param packSize       target pack size in bytes
 * @param streamChunkerMin minimum chunk size of streams (database dumps, {@code --stdin}); null in
 *                       repositories made before stream parameters existed, whose streams are cut
 *                       with the file parameters
 * @param streamChunkerAvg average chunk size of streams, a power of two; null as above
 * @param streamChunkerMax maximum chunk size of streams; null as above
 */
@JsonPropertyOrder({"version", "id", "chunkerMin", "chunkerAvg", "chunkerMax", "chunkerNormalization", "chunkerSeed",
        "compression", "packSize", "streamChunkerMin", "streamChunkerAvg", "streamChunkerMax"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RepositoryConfig(int version, String id, int chunkerMin, int chunkerAvg, int chunkerMax,
                               int chunkerNormalization, String chunkerSeed, String compression, int packSize,
                               Integer streamChunkerMin, Integer streamChunkerAvg, Integer streamChunkerMax) {

    public static final int CURRENT_VERSION = 1;

    /** Whether streams have chunker parameters of their own (repositories made since they exist). */
    public boolean hasStreamChunker() {
        return streamChunkerMin != null && streamChunkerAvg != null && streamChunkerMax != null;
    }
}
