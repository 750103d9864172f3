package io.cairn.engine.repository;

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
 */
@JsonPropertyOrder({"version", "id", "chunkerMin", "chunkerAvg", "chunkerMax", "chunkerNormalization", "chunkerSeed",
        "compression", "packSize"})
public record RepositoryConfig(int version, String id, int chunkerMin, int chunkerAvg, int chunkerMax,
                               int chunkerNormalization, String chunkerSeed, String compression, int packSize) {

    public static final int CURRENT_VERSION = 1;
}
