package io.cairn.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.archiver.BackupResult;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog of a snapshot with a folder of 100,000 files: built once from the repository, then a
 * page deep inside the folder is served from it. The time is logged, not asserted (bench/browse/ measures
 * speed); deleting the catalog rebuilds the same listing.
 */
class SnapshotCatalogTest {

    private static final Logger log = LoggerFactory.getLogger(SnapshotCatalogTest.class);
    private static final int FILES = 100_000;

    @TempDir
    Path dir;

    @Test
    void a_page_of_100_at_offset_50000_of_a_folder_of_100000_files_comes_from_the_catalog() throws Exception {
        Path big = Files.createDirectories(dir.resolve("data/big"));
        for (int i = 0; i < FILES; i++) {
            Files.createFile(big.resolve(String.format("f%06d.txt", i)));
        }
        Files.createDirectories(big.resolve("zz-sub"));
        Files.writeString(big.resolve("zz-sub/inner.txt"), "inner");
        Path repoDir = Files.createDirectories(dir.resolve("repo"));
        try (Repository repo = Repository.init(new LocalBackend(repoDir), "catalog test".toCharArray(),
                Repository.InitOptions.defaults().withKdf(KdfParams.DEFAULT), Clock.systemUTC())) {
            BackupResult backup = new Archiver(repo, BackupOptions.defaults(), ProgressListener.NONE)
                    .backup(List.of(dir.resolve("data")));
            Path file = dir.resolve("catalogs/" + backup.snapshotId() + ".db");

            long buildStart = System.nanoTime();
            SnapshotCatalog catalog = SnapshotCatalog.build(repo, repo.loadSnapshot(backup.snapshotId()), file);
            long buildMs = (System.nanoTime() - buildStart) / 1_000_000;

            String folder = big.toString();
            catalog.list(folder, 0, 1); // first read opens the file; the page below is a warm read
            long pageStart = System.nanoTime();
            SnapshotCatalog.Listing page = catalog.list(folder, 50_000, 100).orElseThrow();
            double pageMs = (System.nanoTime() - pageStart) / 1e6;
            log.info("catalog of {} entries built in {} ms; page of 100 at offset 50,000 in {} ms", FILES + 2, buildMs,
                    String.format("%.2f", pageMs));

            assertThat(page.total()).isEqualTo(FILES + 1);
            // folders come first: the sub-folder is at position 0, so offset 50,000 is file 49,999
            assertThat(catalog.list(folder, 0, 1).orElseThrow().entries().get(0).name()).isEqualTo("zz-sub");
            assertThat(page.entries()).extracting(CatalogEntry::name).containsExactlyElementsOf(
                    IntStream.range(49_999, 50_099).mapToObj(i -> String.format("f%06d.txt", i)).toList());
            assertThat(page.entries().get(0).path()).isEqualTo(folder + "/f049999.txt");
            assertThat(page.entries()).allSatisfy(e -> assertThat(e.type()).isEqualTo("file"));

            SnapshotCatalog.Listing found = catalog.search("F07770", 0, 50);
            assertThat(found.entries()).extracting(CatalogEntry::name)
                    .as("search is by name, case-insensitive, in the whole snapshot")
                    .hasSize(10).contains("f077700.txt", "f077709.txt");
            assertThat(found.total()).isEqualTo(10);

            Files.delete(file);
            assertThat(SnapshotCatalog.open(file)).as("a deleted catalog is gone until rebuilt").isEmpty();
            SnapshotCatalog rebuilt = SnapshotCatalog.build(repo, repo.loadSnapshot(backup.snapshotId()), file);
            assertThat(rebuilt.list(folder, 50_000, 100).orElseThrow().entries()).isEqualTo(page.entries());
        }
    }
}
