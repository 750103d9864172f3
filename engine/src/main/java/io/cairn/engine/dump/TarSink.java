package io.cairn.engine.dump;

import io.cairn.engine.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Writes a POSIX (pax) tar archive. */
final class TarSink implements ArchiveSink {

    private final TarArchiveOutputStream tar;
    private final byte[] buffer;

    TarSink(OutputStream out, byte[] buffer) {
        this.tar = new TarArchiveOutputStream(new NonClosingOutputStream(out), StandardCharsets.UTF_8.name());
        this.tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        this.tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        this.tar.setAddPaxHeadersForNonAsciiNames(true);
        this.buffer = buffer;
    }

    @Override
    public void directory(String name, Node node) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR, true);
        describe(e, node, Modes.DIR);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    @Override
    public long file(String name, Node node, InputStream content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        describe(e, node, Modes.FILE);
        e.setSize(node.size());
        tar.putArchiveEntry(e);
        long n = Modes.copy(content, tar, buffer);
        tar.closeArchiveEntry();
        return n;
    }

    @Override
    public void symlink(String name, Node node) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        describe(e, node, Modes.SYMLINK);
        e.setLinkName(node.linkTarget() == null ? "" : node.linkTarget());
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    @Override
    public boolean supportsHardlinks() {
        return true;
    }

    @Override
    public void hardlink(String name, Node node, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        describe(e, node, Modes.FILE);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    @Override
    public void finish() throws IOException {
        tar.close(); // writes the end-of-archive records; the underlying stream is only flushed
    }

    private static void describe(TarArchiveEntry e, Node node, int typeBits) {
        e.setMode(typeBits | (node.mode() & Modes.PERMISSIONS));
        e.setUserId(Integer.toUnsignedLong(node.uid()));
        e.setGroupId(Integer.toUnsignedLong(node.gid()));
        e.setUserName(node.user() == null ? "" : node.user());
        e.setGroupName(node.group() == null ? "" : node.group());
        e.setModTime(FileTime.from(node.mtimeNs(), TimeUnit.NANOSECONDS));
    }
}
