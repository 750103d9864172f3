package io.cairn.engine.index;

import io.cairn.engine.blob.BlobType;

/** Where a blob lives: pack id, byte range of its sealed form, and its plaintext length. */
public record BlobLocation(String packId, BlobType type, int offset, int sealedLength, int plainLength) {
}
