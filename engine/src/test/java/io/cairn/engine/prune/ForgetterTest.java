package io.cairn.engine.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.backend.FileType;
import io.cairn.engine.progress.ProgressEvent;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.RepositoryException;
import io.cairn.engine.repository.RepositoryLock;
import io.cairn.engine.retention.RetentionPolicy;
import io.cairn.engine.snapshot.SnapshotRef;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForgetterTest {

    @TempDir
    Path tmp;

    private static final RetentionPolicy KEEP_LAST_ONE = RetentionPolicy.builder().keepLast(1).build();

    /** Three snapshots of host-a, then three of host-b, all of the same path; returns their ids in order. */
    private static List<String> twoHosts(RepoFixture f) throws IOException {
        f.write("a.bin", 5_000);
        String a1 = f.backup(f.repo, "host-a", List.of("daily"), Duration.ZERO);
        String a2 = f.backup(f.repo, "host-a", List.of("daily"), Duration.ZERO);
        String a3 = f.backup(f.repo, "host-a", List.of("weekly"), Duration.ZERO);
        String b1 = f.backup(f.repo, "host-b", List.of("daily"), Duration.ZERO);
        String b2 = f.backup(f.repo, "host-b", List.of("daily"), Duration.ZERO);
        String b3 = f.backup(f.repo, "host-b", List.of("weekly"), Duration.ZERO);
        return List.of(a1, a2, a3, b1, b2, b3);
    }

    @Test
    void appliesThePolicyToEachHostAndPathsGroupAndGivesReasons() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            List<String> ids = twoHosts(f);

            ForgetReport report = new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE)
                    .forget(KEEP_LAST_ONE);

            assertThat(report.dryRun()).isFalse();
            assertThat(report.policy()).isEqualTo(KEEP_LAST_ONE.describe());
            assertThat(report.groups()).hasSize(2);
            ForgetReport.Group hostA = report.groups().stream().filter(g -> g.group().host().equals("host-a"))
                    .findFirst().orElseThrow();
            assertThat(hostA.group().paths()).containsExactly(f.source.toString());
            assertThat(hostA.group().tags()).isNull();
            assertThat(hostA.kept()).singleElement().satisfies(k -> {
                assertThat(k.snapshot().id()).isEqualTo(ids.get(2));
                assertThat(k.reasons()).containsExactly("last snapshot");
            });
            assertThat(hostA.removed()).extracting(d -> d.snapshot().id()).containsExactly(ids.get(1), ids.get(0));
            assertThat(report.removedIds()).containsExactly(ids.get(0), ids.get(1), ids.get(3), ids.get(4));
            assertThat(f.names(FileType.SNAPSHOT)).containsExactlyInAnyOrder(ids.get(2), ids.get(5));
            assertThat(f.names(FileType.LOCK)).isEmpty();
        }
    }

    @Test
    void groupingDecidesWhichSnapshotsAreJudgedTogether() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            List<String> ids = twoHosts(f);
            ForgetOptions dry = ForgetOptions.defaults().withDryRun(true);

            ForgetReport all = new Forgetter(f.repo, dry.withGrouping(SnapshotGrouping.parse("")), ProgressListener.NONE)
                    .forget(KEEP_LAST_ONE);
            assertThat(all.groups()).singleElement().satisfies(g -> {
                assertThat(g.group().describe()).isEqualTo("all snapshots");
                assertThat(g.kept()).extracting(k -> k.snapshot().id()).containsExactly(ids.get(5));
            });

            ForgetReport byTags = new Forgetter(f.repo, dry.withGrouping(SnapshotGrouping.parse("tags")),
                    ProgressListener.NONE).forget(KEEP_LAST_ONE);
            assertThat(byTags.groups()).extracting(g -> g.group().tags())
                    .containsExactly(List.of("daily"), List.of("weekly"));
            assertThat(byTags.groups()).flatExtracting(ForgetReport.Group::kept).extracting(k -> k.snapshot().id())
                    .containsExactlyInAnyOrder(ids.get(4), ids.get(5));

            ForgetReport byHostAndTags = new Forgetter(f.repo, dry.withGrouping(SnapshotGrouping.parse("host,tags")),
                    ProgressListener.NONE).forget(KEEP_LAST_ONE);
            assertThat(byHostAndTags.groups()).hasSize(4);
            assertThat(byHostAndTags.removedIds()).containsExactly(ids.get(0), ids.get(3));
            assertThat(f.names(FileType.SNAPSHOT)).as("dry runs remove nothing").hasSize(6);
        }
    }

    @Test
    void refusesAPolicyThatEmptiesAGroupUnlessForced() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            List<String> ids = twoHosts(f);
            RetentionPolicy onlyWeekly = RetentionPolicy.builder().keepTags("weekly").build();
            f.repo.deleteSnapshot(ids.get(2));

            assertThatThrownBy(() -> new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE)
                    .forget(onlyWeekly))
                    .isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("would remove every snapshot of {host host-a")
                    .hasMessageContaining("Nothing was removed")
                    .hasMessageContaining("--force");
            assertThat(f.names(FileType.SNAPSHOT)).hasSize(5);
            assertThat(f.names(FileType.LOCK)).isEmpty();

            ForgetReport dry = new Forgetter(f.repo, ForgetOptions.defaults().withDryRun(true), ProgressListener.NONE)
                    .forget(onlyWeekly);
            assertThat(dry.groupsEmptied()).extracting(SnapshotGroup::host).containsExactly("host-a");
            assertThat(dry.removedIds()).containsExactly(ids.get(0), ids.get(1), ids.get(3), ids.get(4));
            assertThat(f.names(FileType.SNAPSHOT)).hasSize(5);

            ForgetReport forced = new Forgetter(f.repo, ForgetOptions.defaults().withForce(true), ProgressListener.NONE)
                    .forget(onlyWeekly);
            assertThat(forced.removedIds()).containsExactly(ids.get(0), ids.get(1), ids.get(3), ids.get(4));
            assertThat(f.names(FileType.SNAPSHOT)).containsExactly(ids.get(5));
        }
    }

    @Test
    void removesNamedSnapshotsResolvingEveryNameFirst() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            List<String> ids = twoHosts(f);
            Forgetter forgetter = new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE);

            assertThatThrownBy(() -> forgetter.forgetSnapshots(List.of(ids.get(0), "ffffffffffff")))
                    .isInstanceOf(RepositoryException.class).hasMessageContaining("no snapshot with id ffffffffffff");
            assertThat(f.names(FileType.SNAPSHOT)).as("a bad name removes nothing").hasSize(6);

            ForgetReport report = forgetter.forgetSnapshots(List.of("latest", ids.get(1).substring(0, 10), ids.get(1)));
            assertThat(report.policy()).isNull();
            assertThat(report.groups()).isEmpty();
            assertThat(report.removedIds()).containsExactly(ids.get(1), ids.get(5));
            assertThat(f.names(FileType.SNAPSHOT)).containsExactlyInAnyOrder(ids.get(0), ids.get(2), ids.get(3), ids.get(4));
        }
    }

    @Test
    void calendarBucketsFollowTheGivenTimeZone() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2024-05-01T22:30:00Z"));
        try (RepoFixture f = new RepoFixture(tmp, clock, b -> b)) {
            f.write("a.bin", 5_000);
            String first = f.backup();
            String second = f.backup();
            String third = f.backup();
            RetentionPolicy daily = RetentionPolicy.builder().keepDaily(2).build();
            ForgetOptions dry = ForgetOptions.defaults().withDryRun(true);

            ForgetReport utc = new Forgetter(f.repo, dry.withZone(ZoneId.of("UTC")), ProgressListener.NONE).forget(daily);
            assertThat(utc.removedIds()).as("22:30 and 23:30 UTC are one day, 00:30 the next").containsExactly(first);

            ForgetReport berlin = new Forgetter(f.repo, dry.withZone(ZoneId.of("Europe/Berlin")), ProgressListener.NONE)
                    .forget(daily);
            assertThat(berlin.removedIds()).as("00:30 to 02:30 in Berlin are one day").containsExactly(second);
            assertThat(berlin.groups().get(0).kept()).extracting(k -> k.snapshot().id()).containsExactly(third, first);
            assertThat(berlin.groups().get(0).kept().get(1).reasons()).containsExactly("oldest daily snapshot");
        }
    }

    @Test
    void anEmptyPolicyOrNoNameIsAUsageError() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp)) {
            Forgetter forgetter = new Forgetter(f.repo, ForgetOptions.defaults(), ProgressListener.NONE);
            assertThatThrownBy(() -> forgetter.forget(RetentionPolicy.builder().build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--keep-*");
            assertThatThrownBy(() -> forgetter.forgetSnapshots(List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SnapshotGrouping.parse("host,colour"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'colour'");
        }
    }

    @Test
    void aRealForgetWaitsForBackupsButADryRunDoesNot() throws IOException {
        try (RepoFixture f = new RepoFixture(tmp, Clock.systemUTC(), b -> b)) {
            f.write("a.bin", 5_000);
            f.backup();
            f.backup();
            List<ProgressEvent> events = new CopyOnWriteArrayList<>();
            try (RepositoryLock backup = RepositoryLock.acquire(f.repo, false, "backup", Duration.ZERO)) {
                assertThatThrownBy(() -> new Forgetter(f.repo, ForgetOptions.defaults().withLockWait(Duration.ZERO),
                        events::add).forget(KEEP_LAST_ONE))
                        .isInstanceOf(RepositoryException.class)
                        .extracting(e -> ((RepositoryException) e).exitCode()).isEqualTo(RepositoryException.EXIT_LOCKED);
                ForgetReport dry = new Forgetter(f.repo, ForgetOptions.defaults().withDryRun(true)
                        .withLockWait(Duration.ZERO), ProgressListener.NONE).forget(KEEP_LAST_ONE);
                assertThat(dry.removed()).hasSize(1);
            }
            assertThat(events).hasSize(2);
            assertThat(events.get(0)).isInstanceOf(ProgressEvent.OperationStarted.class);
            assertThat(events.get(1)).isInstanceOfSatisfying(ProgressEvent.OperationEnded.class,
                    e -> assertThat(e.success()).isFalse());
            assertThat(f.repo.snapshots()).extracting(SnapshotRef::id).hasSize(2);
        }
    }
}
