package io.cairn.server.snapshot;

import io.cairn.engine.browse.SnapshotBrowser;
import io.cairn.engine.repository.Repository;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.springframework.core.io.AbstractResource;

/**
 * One file of a snapshot as a Spring {@link org.springframework.core.io.Resource}, so Spring MVC serves
 * it with {@code Accept-Ranges} and answers {@code Range} requests (206, one or several regions) by
 * itself. Each {@link #getInputStream()} opens the repository and streams the file blob by blob (a
 * range start skips whole blobs without reading them); closing the stream closes the repository.
 */
final class SnapshotFileResource extends AbstractResource {

    private final SnapshotCatalogs.RepositoryOpener opener;
    private final String snapshotId;
    private final String path;
    private final String filename;
    private final long size;
    private final Instant mtime;

    SnapshotFileResource(SnapshotCatalogs.RepositoryOpener opener, String snapshotId, String path, String filename,
                         long size, Instant mtime) {
        this.opener = opener;
        this.snapshotId = snapshotId;
        this.path = path;
        this.filename = filename;
        this.size = size;
        this.mtime = mtime;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        Repository repo = opener.open();
        try {
            SnapshotBrowser browser = new SnapshotBrowser(repo, repo.loadSnapshot(snapshotId));
            InputStream content = browser.openContent(browser.resolve(path));
            return new FilterInputStream(content) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        repo.close();
                    }
                }
            };
        } catch (IOException | RuntimeException e) {
            repo.close();
            throw e;
        }
    }

    @Override
    public boolean exists() {
        return true;
    }

    @Override
    public long contentLength() {
        return size;
    }

    @Override
    public long lastModified() {
        return mtime.toEpochMilli();
    }

    @Override
    public String getFilename() {
        return filename;
    }

    @Override
    public String getDescription() {
        return "file " + path + " of snapshot " + snapshotId.substring(0, Math.min(8, snapshotId.length()));
    }
}
