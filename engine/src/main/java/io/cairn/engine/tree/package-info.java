/**
 * Trees: directory listings stored as tree blobs. A {@link io.cairn.engine.tree.Tree} holds
 * {@link io.cairn.engine.tree.Node}s sorted by name; files point at data blobs, directories at
 * subtrees. Decoding rejects unsafe names so nothing read from a repository can address a path
 * outside a restore target.
 */
package io.cairn.engine.tree;
