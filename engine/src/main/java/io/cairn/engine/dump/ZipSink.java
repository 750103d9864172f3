package io.cairn.engine.dump;

import io.cairn.engine.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Writes a deflated zip archive with Unix modes and Info-ZIP symlinks. */
final class ZipSink implements ArchiveSink {

    private final ZipArchiveOutputStream zip;
    private final byte[] buffer;

    ZipSink(OutputStream out, byte[] buffer) {
        this.zip = new ZipArchiveOutputStream(new NonClosingOutputStream(out));
        this.zip.setEncoding(StandardCharsets.UTF_8.name());
        this.zip.setUseLanguageEncodingFlag(true);
        this.zip.setUseZip64(Zip64Mode.AsNeeded);
        this.zip.setMethod(ZipArchiveOutputStream.DEFLATED);
        this.buffer = buffer;
    }

    @Override
    public void directory(String name, Node node) throws IOException {
        ZipArchiveEntry e = entry(name + "/", node, Modes.DIR);
        e.setSize(0);
        zip.putArchiveEntry(e);
        zip.closeArchiveEntry();
    }

    @Override
    public long file(String name, Node node, InputStream content) throws IOException {
        ZipArchiveEntry e = entry(name, node, Modes.FILE);
        e.setSize(node.size());
        zip.putArchiveEntry(e);
        long n = Modes.copy(content, zip, buffer);
        zip.closeArchiveEntry();
        return n;
    }

    @Override
    public void symlink(String name, Node node) throws IOException {
        byte[] target = (node.linkTarget() == null ? "" : node.linkTarget()).getBytes(StandardCharsets.UTF_8);
        ZipArchiveEntry e = entry(name, node, Modes.SYMLINK);
        e.setSize(target.length);
        zip.putArchiveEntry(e);
        zip.write(target);
        zip.closeArchiveEntry();
    }

    @Override
    public boolean supportsHardlinks() {
        return false;
    }

    @Override
    public void hardlink(String name, Node node, String target) {
        throw new UnsupportedOperationException("zip archives have no hard links");
    }

    @Override
    public void finish() throws IOException {
        zip.close(); // writes the central directory; the underlying stream is only flushed
    }

    private static ZipArchiveEntry entry(String name, Node node, int typeBits) {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setUnixMode(typeBits | (node.mode() & Modes.PERMISSIONS));
        e.setLastModifiedTime(FileTime.from(node.mtimeNs(), TimeUnit.NANOSECONDS));
        return e;
    }
}
