package io.cairn.cli;

import io.cairn.engine.repository.Repository;
import io.cairn.engine.snapshot.SnapshotRef;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn snapshots}: lists snapshots, oldest first. */
@Command(name = "snapshots", description = "List snapshots.")
final class SnapshotsCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;

    @Option(names = "--host", paramLabel = "NAME", description = "Only snapshots of this host.")
    String host;

    @Option(names = "--tag", paramLabel = "TAG", description = "Only snapshots with this tag.")
    String tag;

    @Override
    public Integer call() throws Exception {
        try (Repository r = repo.open()) {
            List<SnapshotRef> list = new ArrayList<>();
            for (SnapshotRef s : r.snapshots()) {
                if ((host == null || host.equals(s.snapshot().hostname()))
                        && (tag == null || s.snapshot().tags().contains(tag))) {
                    list.add(s);
                }
            }
            if (output.json()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (SnapshotRef s : list) {
                    rows.add(toJson(s));
                }
                output.json(rows);
                return 0;
            }
            output.text(String.format("%-8s  %-19s  %-16s  %-20s  %s", "ID", "Time", "Host", "Tags", "Paths"));
            output.text("-".repeat(90));
            for (SnapshotRef s : list) {
                output.text(String.format("%-8s  %-19s  %-16s  %-20s  %s", s.shortId(), TIME.format(s.snapshot().instant()),
                        s.snapshot().hostname(), String.join(",", s.snapshot().tags()), String.join(", ", s.snapshot().paths())));
            }
            output.text(list.size() + " snapshots");
        }
        return 0;
    }

    static Map<String, Object> toJson(SnapshotRef s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("short_id", s.shortId());
        m.put("time", s.snapshot().time());
        m.put("tree", s.snapshot().tree());
        m.put("paths", s.snapshot().paths());
        m.put("hostname", s.snapshot().hostname());
        m.put("username", s.snapshot().username());
        m.put("tags", s.snapshot().tags());
        m.put("parent", s.snapshot().parent());
        m.put("program", s.snapshot().program());
        m.put("summary", s.snapshot().summary());
        return m;
    }
}
