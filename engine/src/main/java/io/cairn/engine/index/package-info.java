/**
 * Indexes: which pack holds which blob. Index objects ({@link io.cairn.engine.index.IndexFile}) are
 * written after the packs they describe and before any snapshot that needs them; the in-memory
 * {@link io.cairn.engine.index.Index} is their union.
 */
package io.cairn.engine.index;
