package io.cairn.server.snapshot;

import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.server.config.CairnProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where catalogs live ({@code <data-dir>/catalogs/repository-<id>/<snapshot id>.db}) and who builds
 * them: the first browse of a snapshot builds its catalog from the repository, once, while concurrent
 * browses of the same snapshot wait for that build instead of starting their own.
 */
@Component
class SnapshotCatalogs {

    private static final Logger log = LoggerFactory.getLogger(SnapshotCatalogs.class);

    private final Path root;
    private final Map<String, Object> building = new ConcurrentHashMap<>();

    SnapshotCatalogs(CairnProperties properties) {
        this.root = properties.resolvedDataDir().resolve("catalogs");
    }

    Path fileOf(long repositoryId, String snapshotId) {
        if (!snapshotId.matches("[0-9a-f]{8,128}")) {
            throw new IllegalArgumentException("not a snapshot id: " + snapshotId);
        }
        return root.resolve("repository-" + repositoryId).resolve(snapshotId + ".db");
    }

    /** Opens the repository a catalog is built from; the caller closes it. */
    @FunctionalInterface
    interface RepositoryOpener {
        Repository open() throws IOException;
    }

    /**
     * The catalog of a snapshot; built from the repository now if there is none (or it is unreadable or of
     * an older format). The repository is opened only to build.
     */
    SnapshotCatalog of(long repositoryId, String snapshotId, RepositoryOpener opener) throws IOException {
        Path file = fileOf(repositoryId, snapshotId);
        var existing = SnapshotCatalog.open(file);
        if (existing.isPresent()) {
            return existing.get();
        }
        Object lock = building.computeIfAbsent(file.toString(), k -> new Object());
        try {
            synchronized (lock) {
                existing = SnapshotCatalog.open(file);
                if (existing.isPresent()) {
                    return existing.get();
                }
                long start = System.nanoTime();
                try (Repository repo = opener.open()) {
                    SnapshotRef snapshot = repo.loadSnapshot(snapshotId);
                    SnapshotCatalog built = SnapshotCatalog.build(repo, snapshot, file);
                    log.info("built the catalog of snapshot {} in {} ms", snapshot.shortId(),
                            (System.nanoTime() - start) / 1_000_000);
                    return built;
                }
            }
        } finally {
            building.remove(file.toString(), lock);
        }
    }
}
