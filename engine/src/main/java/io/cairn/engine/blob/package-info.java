/**
 * Blobs: the unit of deduplication. A <b>blob</b> is a chunk of file data ({@link
 * io.cairn.engine.blob.BlobType#DATA}) or a serialized tree ({@link io.cairn.engine.blob.BlobType#TREE}),
 * named by its {@link io.cairn.engine.blob.BlobId} (keyed hash of the plaintext) and stored encoded
 * by {@link io.cairn.engine.blob.BlobCodec} (optionally zstd-compressed), then sealed, inside a pack.
 */
package io.cairn.engine.blob;
