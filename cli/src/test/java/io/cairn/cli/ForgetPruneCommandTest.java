package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn forget} and {@code cairn prune} end to end, through {@link CairnCommand#run}. */
class ForgetPruneCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        System.setProperty("cairn.insecureTestKdf", "true");
    }

    @TempDir
    Path tmp;

    private Path repo;
    private Path passwordFile;
    private Path source;
    private final Random random = new Random(11);

    /** What one run printed and returned. */
    @BeforeEach
    void createRepository() throws IOException {
        repo = tmp.resolve("repo");
        passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, "correct horse battery staple\n");
        source = tmp.resolve("src");
        Files.createDirectories(source);
        try (Repository r = Repository.init(new LocalBackend(repo), "correct horse battery staple".toCharArray(),
                Repository.InitOptions.defaults().withKdf(new KdfParams(64, 1, 1)).withChunker(1024, 4096, 16384)
                        .withPackSize(256 * 1024), Clock.systemUTC())) {
            assertThat(r.config()).isNotNull();
        }
    }

    private CliRun cairn(String... args) {
        return CliRun.of(repo, passwordFile, args);
    }

    private byte[] write(String name, int size) throws IOException {
        byte[] data = new byte[size];
        random.nextBytes(data);
        Files.write(source.resolve(name), data);
        return data;
    }

    /** Three snapshots of a changing file; returns the content of the last one. */
    private byte[] threeBackups() throws IOException {
        byte[] last = null;
        for (int i = 0; i < 3; i++) {
            last = write("data.bin", 50_000);
            CliRun backup = cairn("backup", source.toString());
            assertThat(backup.exitCode()).as(backup.err()).isZero();
        }
        return last;
    }

    private List<String> snapshotIds() throws IOException {
        List<String> ids = new ArrayList<>();
        for (FileInfo f : new LocalBackend(repo).list(FileType.SNAPSHOT)) {
            ids.add(f.handle().name());
        }
        return ids;
    }

    private long packBytes() throws IOException {
        return new LocalBackend(repo).list(FileType.PACK).stream().mapToLong(FileInfo::size).sum();
    }

    @Test
    void forgetWithPruneKeepsTheNewestAndFreesTheSpaceOfTheRest() throws IOException {
        byte[] newest = threeBackups();
        long before = packBytes();

        CliRun forget = cairn("forget", "--keep-last", "1", "--prune");

        assertThat(forget.exitCode()).as(forget.err()).isZero();
        assertThat(forget.out())
                .contains("policy: keep 1 last snapshots")
                .contains("snapshots of host ")
                .contains("paths [" + source.toAbsolutePath() + "]")
                .contains("keep 1 snapshot:")
                .contains("last snapshot")
                .contains("remove 2 snapshots:")
                .contains("removed 2 snapshots")
                .contains("deleted ")
                .contains("freed ");
        assertThat(snapshotIds()).hasSize(1);
        assertThat(packBytes()).isLessThan(before);

        Path target = tmp.resolve("restored");
        CliRun restore = cairn("restore", "latest", "--target", target.toString());
        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(Files.readAllBytes(target.resolve(source.toAbsolutePath().toString().substring(1)).resolve("data.bin")))
                .isEqualTo(newest);
    }

    @Test
    void aDryRunPrintsOneJsonObjectPerGroupAndASummaryAndRemovesNothing() throws IOException {
        threeBackups();
        List<String> ids = snapshotIds();

        CliRun forget = cairn("forget", "--keep-last", "2", "--dry-run", "--json");

        assertThat(forget.exitCode()).as(forget.err()).isZero();
        List<JsonNode> lines = forget.json();
        assertThat(lines).hasSize(2);
        JsonNode group = lines.get(0);
        assertThat(group.get("message_type").asText()).isEqualTo("group");
        assertThat(group.get("group").get("paths").get(0).asText()).isEqualTo(source.toAbsolutePath().toString());
        assertThat(group.get("keep")).hasSize(2);
        assertThat(group.get("keep").get(0).get("reasons").get(0).asText()).isEqualTo("last snapshot");
        assertThat(group.get("remove")).hasSize(1);
        JsonNode summary = lines.get(1);
        assertThat(summary.get("message_type").asText()).isEqualTo("summary");
        assertThat(summary.get("operation").asText()).isEqualTo("forget");
        assertThat(summary.get("dry_run").asBoolean()).isTrue();
        assertThat(summary.get("removed")).hasSize(1);
        assertThat(snapshotIds()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void pruneReportsWhatItFreedAsTextAndAsJson() throws IOException {
        threeBackups();
        CliRun forget = cairn("forget", "--keep-last", "1");
        assertThat(forget.exitCode()).as(forget.err()).isZero();
        assertThat(forget.out()).contains("run 'cairn prune' to free the space");
        long before = packBytes();

        CliRun dry = cairn("prune", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("would delete ").contains("would remove ").contains("dry run: nothing was changed");
        assertThat(packBytes()).isEqualTo(before);

        CliRun prune = cairn("prune", "--max-unused", "10%", "--json");
        assertThat(prune.exitCode()).as(prune.err()).isZero();
        JsonNode summary = prune.json().get(0);
        assertThat(summary.get("operation").asText()).isEqualTo("prune");
        assertThat(summary.get("dry_run").asBoolean()).isFalse();
        assertThat(summary.get("snapshots").asInt()).isEqualTo(1);
        assertThat(summary.get("packs_deleted").asInt()).isPositive();
        assertThat(summary.get("bytes_freed").asLong()).isEqualTo(before - packBytes());

        CliRun again = cairn("prune");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("nothing to prune");
    }

    @Test
    void forgetRefusesToEmptyAGroupWithoutForce() throws IOException {
        threeBackups();

        CliRun refused = cairn("forget", "--keep-tag", "monthly");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("would remove every snapshot of").contains("--force");
        assertThat(snapshotIds()).hasSize(3);

        CliRun dry = cairn("forget", "--keep-tag", "monthly", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("warning: the policy removes every snapshot of")
                .contains("without --force a real run refuses this");

        CliRun forced = cairn("forget", "--keep-tag", "monthly", "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(snapshotIds()).isEmpty();
    }

    @Test
    void forgetRemovesSnapshotsNamedById() throws IOException {
        threeBackups();
        List<String> ids = snapshotIds();
        String victim = ids.get(0);

        CliRun forget = cairn("forget", victim.substring(0, 8), "--json");

        assertThat(forget.exitCode()).as(forget.err()).isZero();
        JsonNode summary = forget.json().get(0);
        assertThat(summary.get("removed").get(0).asText()).isEqualTo(victim);
        assertThat(summary.get("policy").isNull()).isTrue();
        assertThat(snapshotIds()).hasSize(2).doesNotContain(victim);

        CliRun unknown = cairn("forget", "abcdef0123");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no snapshot with id abcdef0123");
    }

    @Test
    void usageErrorsExitWithTwoAndChangeNothing() throws IOException {
        threeBackups();
        String id = snapshotIds().get(0);

        assertThat(cairn("forget").exitCode()).isEqualTo(2);
        assertThat(cairn("forget", "--keep-last", "1", id).err()).contains("either snapshot ids or --keep-* options");
        assertThat(cairn("forget", "--keep-last", "lots").exitCode()).isEqualTo(2);
        assertThat(cairn("forget", "--keep-within", "2w").err()).contains("no week unit");
        assertThat(cairn("forget", "--keep-last", "1", "--group-by", "colour").err()).contains("'colour'");
        assertThat(cairn("forget", "--keep-last", "1", "--max-unused", "5").err()).contains("--prune");
        CliRun percent = cairn("prune", "--max-unused", "150");
        assertThat(percent.exitCode()).isEqualTo(2);
        assertThat(percent.err()).contains("from 0 to 100");
        assertThat(snapshotIds()).hasSize(3);
    }

    @Test
    void keepCountsAcceptUnlimited() throws IOException {
        threeBackups();
        CliRun forget = cairn("forget", "--keep-last", "unlimited", "--dry-run");
        assertThat(forget.exitCode()).as(forget.err()).isZero();
        assertThat(forget.out()).contains("policy: keep all last snapshots").contains("keep 3 snapshots:")
                .contains("would remove 0 snapshots");
    }
}
