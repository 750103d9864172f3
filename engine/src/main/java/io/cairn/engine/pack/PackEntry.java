package io.cairn.engine.pack;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;

/**
 * One blob inside a pack: where its sealed bytes start ({@code offset}), how long they are, and the
 * length of the blob's plaintext (uncompressed content).
 */
public record PackEntry(BlobType type, BlobId id, int offset, int sealedLength, int plainLength) {
}
