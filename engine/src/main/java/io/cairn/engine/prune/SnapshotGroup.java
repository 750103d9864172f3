package io.cairn.engine.prune;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The key of a group of snapshots that a retention policy judges together. A field is null when the
 * grouping does not use it; with no field at all, every snapshot is in one group.
 *
 * @param host  the snapshots' host name, or null when not grouped by host
 * @param paths the snapshots' backed-up paths, sorted, or null when not grouped by paths
 * @param tags  the snapshots' tags, sorted, or null when not grouped by tags
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"host", "paths", "tags"})
public record SnapshotGroup(String host, List<String> paths, List<String> tags) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the lists (null stays null: the field is not part of the grouping). */
    public SnapshotGroup {
        paths = paths == null ? null : List.copyOf(paths);
        tags = tags == null ? null : List.copyOf(tags);
    }

    /** A canonical string that is equal exactly for equal groups (compact JSON of the used fields). */
    public String key() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize snapshot group", e);
        }
    }

    /** For people: {@code "host ann-laptop, paths [/home/ann], tags [daily]"}, or "all snapshots". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (host != null) {
            parts.add("host " + (host.isEmpty() ? "(none)" : host));
        }
        if (paths != null) {
            parts.add("paths [" + String.join(", ", paths) + "]");
        }
        if (tags != null) {
            parts.add("tags [" + String.join(", ", tags) + "]");
        }
        return parts.isEmpty() ? "all snapshots" : String.join(", ", parts);
    }
}
