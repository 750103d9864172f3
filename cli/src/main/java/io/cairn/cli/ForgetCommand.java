package io.cairn.cli;

import io.cairn.engine.prune.ForgetOptions;
import io.cairn.engine.prune.ForgetReport;
import io.cairn.engine.prune.Forgetter;
import io.cairn.engine.prune.PruneOptions;
import io.cairn.engine.prune.PruneReport;
import io.cairn.engine.prune.Pruner;
import io.cairn.engine.prune.SnapshotGroup;
import io.cairn.engine.prune.SnapshotGrouping;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.retention.RetentionPolicy;
import io.cairn.engine.snapshot.SnapshotRef;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code cairn forget}: removes snapshots chosen by a retention policy (applied to each group of
 * snapshots of one host and set of paths) or named by id; with {@code --prune} then frees the space.
 */
@Command(name = "forget", description = {"Remove snapshots: those the --keep-* policy does not keep (applied to each "
        + "group of snapshots on its own), or the ones named.", "This frees no space by itself: add --prune, or run "
        + "'cairn prune' afterwards.", "Calendar rules (hourly, daily...) use this machine's time zone."})
final class ForgetCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Mixin
    RepositoryOptions repo;
    @Mixin
    Output output;

    @Parameters(paramLabel = "SNAPSHOT", arity = "0..*", description = "Snapshot ids (or unique prefixes, or 'latest') "
            + "to remove, instead of a policy.")
    List<String> snapshots = new ArrayList<>();

    @Option(names = "--keep-last", paramLabel = "N", converter = CountConverter.class,
            description = "Keep the newest N snapshots ('unlimited' for all).")
    int keepLast;

    @Option(names = "--keep-hourly", paramLabel = "N", converter = CountConverter.class,
            description = "Keep the newest snapshot of each of the newest N hours that have one.")
    int keepHourly;

    @Option(names = "--keep-daily", paramLabel = "N", converter = CountConverter.class,
            description = "Keep the newest snapshot of each of the newest N days that have one.")
    int keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", converter = CountConverter.class,
            description = "Keep the newest snapshot of each of the newest N weeks (Monday to Sunday) that have one.")
    int keepWeekly;

    @Option(names = "--keep-monthly", paramLabel = "N", converter = CountConverter.class,
            description = "Keep the newest snapshot of each of the newest N months that have one.")
    int keepMonthly;

    @Option(names = "--keep-yearly", paramLabel = "N", converter = CountConverter.class,
            description = "Keep the newest snapshot of each of the newest N years that have one.")
    int keepYearly;

    @Option(names = "--keep-within", paramLabel = "DURATION",
            description = "Keep every snapshot taken within DURATION of the group's latest one, e.g. 2y5m7d3h.")
    String keepWithin;

    @Option(names = "--keep-within-hourly", paramLabel = "DURATION",
            description = "Keep the newest snapshot of every hour within DURATION of the latest one.")
    String keepWithinHourly;

    @Option(names = "--keep-within-daily", paramLabel = "DURATION",
            description = "Keep the newest snapshot of every day within DURATION of the latest one.")
    String keepWithinDaily;

    @Option(names = "--keep-within-weekly", paramLabel = "DURATION",
            description = "Keep the newest snapshot of every week within DURATION of the latest one.")
    String keepWithinWeekly;

    @Option(names = "--keep-within-monthly", paramLabel = "DURATION",
            description = "Keep the newest snapshot of every month within DURATION of the latest one.")
    String keepWithinMonthly;

    @Option(names = "--keep-within-yearly", paramLabel = "DURATION",
            description = "Keep the newest snapshot of every year within DURATION of the latest one.")
    String keepWithinYearly;

    @Option(names = "--keep-tag", paramLabel = "TAG", description = "Keep every snapshot with this tag (repeatable).")
    List<String> keepTags = new ArrayList<>();

    @Option(names = {"-g", "--group-by"}, paramLabel = "FIELDS", defaultValue = "host,paths",
            description = "Apply the policy to each group of snapshots with equal FIELDS: host, paths, tags or a "
                    + "comma-separated combination; '' for one group (default: ${DEFAULT-VALUE}).")
    String groupBy;

    @Option(names = {"-n", "--dry-run"}, description = "Only show what would be removed.")
    boolean dryRun;

    @Option(names = "--force", description = "Carry out a policy even if it removes every snapshot of a group.")
    boolean force;

    @Option(names = "--prune", description = "Run 'cairn prune' afterwards to free the space.")
    boolean prune;

    @Option(names = "--max-unused", paramLabel = "PERCENT", description = "With --prune: repack a pack when more than "
            + "PERCENT of it is unused (default " + PruneOptions.DEFAULT_MAX_UNUSED_PERCENT + ").")
    String maxUnused;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "PT1H",
            description = "How long to wait for running backups (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration lockWait;

    /** Reads a keep count: a number, or "unlimited" / "all" for every bucket. */
    static final class CountConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (v.equals("unlimited") || v.equals("all") || v.equals("-1")) {
                return RetentionPolicy.UNLIMITED;
            }
            if (!v.matches("[0-9]{1,9}")) {
                throw new TypeConversionException("'" + value + "' is not a count: give a number of snapshots, or "
                        + "'unlimited'");
            }
            return Integer.parseInt(v);
        }
    }

    @Override
    public Integer call() throws Exception {
        RetentionPolicy policy = policy();
        if (!snapshots.isEmpty() && !policy.isEmpty()) {
            throw new IllegalArgumentException("give either snapshot ids or --keep-* options, not both");
        }
        if (snapshots.isEmpty() && policy.isEmpty()) {
            throw new IllegalArgumentException("nothing to forget: give snapshot ids, or a policy with at least one "
                    + "--keep-* option (e.g. --keep-daily 7 --keep-weekly 4)");
        }
        if (maxUnused != null && !prune) {
            throw new IllegalArgumentException("--max-unused only applies together with --prune");
        }
        PruneOptions pruneOptions = PruneCommand.options(false, maxUnused == null
                ? String.valueOf(PruneOptions.DEFAULT_MAX_UNUSED_PERCENT) : maxUnused, lockWait);
        ForgetOptions options = ForgetOptions.defaults().withGrouping(SnapshotGrouping.parse(groupBy))
                .withDryRun(dryRun).withForce(force).withZone(ZoneId.systemDefault()).withLockWait(lockWait);
        try (Repository r = repo.open()) {
            Forgetter forgetter = new Forgetter(r, options, new ProgressPrinter(output));
            ForgetReport report = snapshots.isEmpty() ? forgetter.forget(policy) : forgetter.forgetSnapshots(snapshots);
            print(report);
            if (prune) {
                if (dryRun) {
                    output.text("--prune: skipped in a dry run, since nothing was forgotten");
                } else {
                    PruneReport pruned = new Pruner(r, pruneOptions, new ProgressPrinter(output)).prune();
                    PruneCommand.print(output, pruned, pruneOptions.maxUnusedPercent());
                }
            }
        }
        return 0;
    }

    private RetentionPolicy policy() {
        RetentionPolicy.Builder b = RetentionPolicy.builder().keepLast(keepLast).keepHourly(keepHourly)
                .keepDaily(keepDaily).keepWeekly(keepWeekly).keepMonthly(keepMonthly).keepYearly(keepYearly)
                .keepTags(keepTags);
        if (keepWithin != null) {
            b.keepWithin(keepWithin);
        }
        if (keepWithinHourly != null) {
            b.keepWithinHourly(keepWithinHourly);
        }
        if (keepWithinDaily != null) {
            b.keepWithinDaily(keepWithinDaily);
        }
        if (keepWithinWeekly != null) {
            b.keepWithinWeekly(keepWithinWeekly);
        }
        if (keepWithinMonthly != null) {
            b.keepWithinMonthly(keepWithinMonthly);
        }
        if (keepWithinYearly != null) {
            b.keepWithinYearly(keepWithinYearly);
        }
        return b.build();
    }

    private void print(ForgetReport report) {
        if (output.json()) {
            for (ForgetReport.Group g : report.groups()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("message_type", "group");
                m.put("group", groupJson(g.group()));
                m.put("keep", g.kept().stream().map(ForgetCommand::decisionJson).toList());
                m.put("remove", g.removed().stream().map(ForgetCommand::decisionJson).toList());
                output.json(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("message_type", "summary");
            m.put("operation", "forget");
            m.put("dry_run", report.dryRun());
            m.put("policy", report.policy());
            m.put("removed", report.removedIds());
            m.put("groups_emptied", report.groupsEmptied().stream().map(ForgetCommand::groupJson).toList());
            m.put("total_duration_seconds", report.duration().toMillis() / 1000.0);
            output.json(m);
            return;
        }
        if (report.policy() != null) {
            output.text("policy: " + report.policy());
        }
        for (ForgetReport.Group g : report.groups()) {
            output.text("");
            output.text("snapshots of " + g.group().describe() + ":");
            output.text("keep " + g.kept().size() + " snapshot" + PruneCommand.plural(g.kept().size()) + ":");
            table(g.kept(), true);
            if (!g.removed().isEmpty()) {
                output.text((report.dryRun() ? "would remove " : "remove ") + g.removed().size() + " snapshot"
                        + PruneCommand.plural(g.removed().size()) + ":");
                table(g.removed(), false);
            }
        }
        if (report.policy() == null) {
            for (SnapshotRef s : report.removed()) {
                output.text((report.dryRun() ? "would remove snapshot " : "removed snapshot ") + s.shortId() + " ("
                        + TIME.format(s.snapshot().instant()) + ", " + s.snapshot().hostname() + ")");
            }
        }
        if (!report.groupsEmptied().isEmpty()) {
            output.text("");
            for (SnapshotGroup g : report.groupsEmptied()) {
                output.text("warning: the policy removes every snapshot of " + g.describe()
                        + (report.dryRun() ? "; without --force a real run refuses this" : ""));
            }
        }
        output.text("");
        int n = report.removed().size();
        output.text(report.dryRun() ? "would remove " + n + " snapshot" + PruneCommand.plural(n) + " (dry run: nothing "
                + "was changed)" : "removed " + n + " snapshot" + PruneCommand.plural(n)
                + (n > 0 && !prune ? "; run 'cairn prune' to free the space they alone used" : ""));
    }

    private void table(List<ForgetReport.Decision> rows, boolean reasons) {
        if (rows.isEmpty()) {
            return;
        }
        output.text(String.format("  %-8s  %-19s  %-16s  %-20s%s", "ID", "Time", "Host", "Tags",
                reasons ? "  Reasons" : "").stripTrailing());
        for (ForgetReport.Decision d : rows) {
            SnapshotRef s = d.snapshot();
            output.text(String.format("  %-8s  %-19s  %-16s  %-20s%s", s.shortId(), TIME.format(s.snapshot().instant()),
                    s.snapshot().hostname(), String.join(",", s.snapshot().tags()),
                    reasons ? "  " + String.join(", ", d.reasons()) : "").stripTrailing());
        }
    }

    private static Map<String, Object> groupJson(SnapshotGroup g) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (g.host() != null) {
            m.put("host", g.host());
        }
        if (g.paths() != null) {
            m.put("paths", g.paths());
        }
        if (g.tags() != null) {
            m.put("tags", g.tags());
        }
        return m;
    }

    private static Map<String, Object> decisionJson(ForgetReport.Decision d) {
        SnapshotRef s = d.snapshot();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("short_id", s.shortId());
        m.put("time", s.snapshot().time());
        m.put("hostname", s.snapshot().hostname());
        m.put("paths", s.snapshot().paths());
        m.put("tags", s.snapshot().tags());
        m.put("reasons", d.reasons());
        return m;
    }
}
