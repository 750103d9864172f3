package io.cairn.engine.dump;

import io.cairn.engine.tree.Node;
import java.io.IOException;
import java.io.InputStream;

/** One archive being written: entries in order, then {@link #finish}. */
interface ArchiveSink {

    /** A directory entry; {@code name} has no trailing slash. */
    void directory(String name, Node node) throws IOException;

    /** A regular file whose content is {@code content} ({@code node.size()} bytes); returns bytes written. */
    long file(String name, Node node, InputStream content) throws IOException;

    /** A symlink entry pointing at {@code node.linkTarget()}. */
    void symlink(String name, Node node) throws IOException;

    /**
     * Whether this format stores hard links as links; if false, {@link #hardlink} is never called and
     * every hard-linked file is stored as a regular file.
     */
    boolean supportsHardlinks();

    /** A hard link to the earlier entry {@code target}. */
    void hardlink(String name, Node node, String target) throws IOException;

    /** Writes the archive's trailer and flushes, leaving the underlying stream open. */
    void finish() throws IOException;
}
