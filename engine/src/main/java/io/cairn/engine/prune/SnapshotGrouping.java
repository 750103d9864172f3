package io.cairn.engine.prune;

import io.cairn.engine.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which snapshot fields put snapshots into the same group for a retention policy (restic's
 * {@code --group-by}): any combination of host, paths and tags. The default is host and paths, so
 * one machine's backups of one set of directories never push out another's. With no field, the
 * policy is applied to all snapshots at once.
 *
 * @param fields the fields that must be equal within a group
 */
public record SnapshotGrouping(Set<Field> fields) {

    /** A field snapshots can be grouped by. */
    public enum Field {
        HOST, PATHS, TAGS
    }

    /** Group by host and paths. */
    public static final SnapshotGrouping DEFAULT = new SnapshotGrouping(EnumSet.of(Field.HOST, Field.PATHS));

    /** Copies the fields. */
    public SnapshotGrouping {
        fields = Set.copyOf(fields);
    }

    /**
     * Parses a comma-separated list such as {@code "host,paths"} or {@code "tags"}; the empty string
     * means no grouping.
     *
     * @throws IllegalArgumentException naming an unknown field and the allowed ones
     */
    public static SnapshotGrouping parse(String text) {
        Set<Field> fields = EnumSet.noneOf(Field.class);
        if (text == null || text.isBlank()) {
            return new SnapshotGrouping(fields);
        }
        for (String part : text.split(",", -1)) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            switch (name) {
                case "host", "hosts" -> fields.add(Field.HOST);
                case "path", "paths" -> fields.add(Field.PATHS);
                case "tag", "tags" -> fields.add(Field.TAGS);
                default -> throw new IllegalArgumentException("unknown group-by field '" + part.strip()
                        + "' in '" + text + "': use host, paths, tags or a comma-separated combination "
                        + "(e.g. host,paths), or '' to put all snapshots in one group");
            }
        }
        return new SnapshotGrouping(fields);
    }

    /** The group a snapshot belongs to. */
    public SnapshotGroup groupOf(Snapshot snapshot) {
        String host = fields.contains(Field.HOST) ? (snapshot.hostname() == null ? "" : snapshot.hostname()) : null;
        List<String> paths = fields.contains(Field.PATHS) ? sorted(snapshot.paths()) : null;
        List<String> tags = fields.contains(Field.TAGS) ? sorted(snapshot.tags()) : null;
        return new SnapshotGroup(host, paths, tags);
    }

    private static List<String> sorted(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        copy.sort(null);
        return copy;
    }

    /** The canonical text, e.g. {@code "host,paths"}; "" for no grouping. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Field f : Field.values()) {
            if (fields.contains(f)) {
                names.add(f.name().toLowerCase(Locale.ROOT));
            }
        }
        return String.join(",", names);
    }
}
