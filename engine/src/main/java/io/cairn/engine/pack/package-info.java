/**
 * Packs: files that hold many sealed blobs followed by a sealed header listing them
 * ({@link io.cairn.engine.pack.PackFormat}). A pack is written once, whole, and never changed;
 * {@link io.cairn.engine.pack.PackBuilder} assembles one in memory.
 */
package io.cairn.engine.pack;
