package io.cairn.engine.dump;

import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.browse.SnapshotEntry;
import io.cairn.engine.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a file's content, or a subtree as a tar or zip archive, from one snapshot to a stream.
 * Everything is streamed in tree order, blob by blob; nothing is buffered beyond one blob and a copy
 * buffer. The destination is flushed, never closed.
 */
public final class SnapshotDumper {

    private static final int COPY_BUFFER = 128 * 1024;

    private final SnapshotBrowser browser;

    public SnapshotDumper(SnapshotBrowser browser) {
        this.browser = browser;
    }

    /**
     * Writes a regular file's content to {@code out}; returns the number of bytes written.
     *
     * @throws io.cairn.engine.repository.RepositoryException (exit code 1) if {@code file} is not a regular file
     */
    public long writeFile(SnapshotEntry file, OutputStream out) throws IOException {
        long n;
        try (InputStream in = browser.openContent(file)) {
            n = Modes.copy(in, out, new byte[COPY_BUFFER]);
        }
        out.flush();
        return n;
    }

    /**
     * Writes {@code entry} as an archive: a directory's contents named relative to it, or a single file
     * or symlink under its own name.
     */
    public DumpResult writeArchive(SnapshotEntry entry, ArchiveFormat format, OutputStream out) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        ArchiveSink sink = switch (format) {
            case TAR -> new TarSink(out, buffer);
            case ZIP -> new ZipSink(out, buffer);
        };
        Writer writer = new Writer(sink);
        if (entry.isDir()) {
            browser.walk(entry, e -> {
                writer.add(e, e.relativeTo(entry));
                return true;
            });
        } else {
            writer.add(entry, entry.name());
        }
        sink.finish();
        return writer.result();
    }

    /**
     * Writes several entries as one archive: each under its own name at the top, a directory with
     * everything below it ("docs/a.txt" for "/home/ann/docs/a.txt" when "/home/ann/docs" is selected).
     *
     * @throws IllegalArgumentException if two entries have the same name (they would collide in the archive)
     */
    public DumpResult writeArchive(List<SnapshotEntry> entries, ArchiveFormat format, OutputStream out)
            throws IOException {
        Set<String> names = new HashSet<>();
        for (SnapshotEntry e : entries) {
            String name = e.isRoot() ? "root" : e.name();
            if (!names.add(name)) {
                throw new IllegalArgumentException("two selected entries are both named '" + name
                        + "'; an archive cannot hold both at the top, select them one at a time");
            }
        }
        byte[] buffer = new byte[COPY_BUFFER];
        ArchiveSink sink = switch (format) {
            case TAR -> new TarSink(out, buffer);
            case ZIP -> new ZipSink(out, buffer);
        };
        Writer writer = new Writer(sink);
        for (SnapshotEntry entry : entries) {
            String top = entry.isRoot() ? "root" : entry.name();
            writer.add(entry, top);
            if (entry.isDir()) {
                browser.walk(entry, e -> {
                    writer.add(e, top + "/" + e.relativeTo(entry));
                    return true;
                });
            }
        }
        sink.finish();
        return writer.result();
    }

    /** Adds entries to a sink and counts them. */
    private final class Writer {
        private final ArchiveSink sink;
        /** device:inode → the first archive entry of a hard-linked file. */
        private final Map<String, LinkedFile> firstOfInode = new HashMap<>();
        private long files;
        private long dirs;
        private long symlinks;
        private long hardlinks;
        private long bytes;

        Writer(ArchiveSink sink) {
            this.sink = sink;
        }

        void add(SnapshotEntry e, String name) throws IOException {
            Node node = e.node();
            switch (node.type()) {
                case DIR -> {
                    sink.directory(name, node);
                    dirs++;
                }
                case SYMLINK -> {
                    sink.symlink(name, node);
                    symlinks++;
                }
                case FILE -> {
                    if (sink.supportsHardlinks() && node.links() > 1 && node.inode() != 0) {
                        String key = node.device() + ":" + node.inode();
                        LinkedFile first = firstOfInode.putIfAbsent(key, new LinkedFile(name, node));
                        // a link entry only where the archive's first copy has the very same content
                        if (first != null && Objects.equals(first.node().content(), node.content())
                                && first.node().size() == node.size()) {
                            sink.hardlink(name, node, first.name());
                            hardlinks++;
                            return;
                        }
                    }
                    try (InputStream in = browser.openContent(e)) {
                        bytes += sink.file(name, node, in);
                    }
                    files++;
                }
            }
        }

        DumpResult result() {
            return new DumpResult(files, dirs, symlinks, hardlinks, bytes);
        }
    }

    private record LinkedFile(String name, Node node) {
    }
}
