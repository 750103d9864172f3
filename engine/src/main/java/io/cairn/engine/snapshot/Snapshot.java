package io.cairn.engine.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.engine.crypto.CorruptObjectException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot: the root tree of one backup plus what describes it. Stored as JSON in a sealed
 * {@code snapshots/<id>} object; writing it is the commit of a backup.
 *
 * @param version  format version of this object (1)
 * @param time     when the backup started, ISO-8601 UTC with nanoseconds
 * @param tree     id of the root tree blob
 * @param paths    the absolute paths (or stdin file name) that were backed up
 * @param hostname host the backup ran on
 * @param username user the backup ran as
 * @param tags     user-chosen labels
 * @param parent   id of the snapshot used to skip unchanged files, if any
 * @param program  program and version that wrote it
 * @param summary  statistics of the backup
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"version", "time", "tree", "paths", "hostname", "username", "tags", "parent", "program", "summary"})
public record Snapshot(int version, String time, String tree, List<String> paths, String hostname, String username,
                       List<String> tags, String parent, String program, SnapshotSummary summary) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public Snapshot {
        paths = paths == null ? List.of() : List.copyOf(paths);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    @JsonIgnore
    public Instant instant() {
        return Instant.parse(time);
    }

    public byte[] encode() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize snapshot", e);
        }
    }

    public static Snapshot decode(byte[] json, String what) {
        try {
            Snapshot s = JSON.readValue(json, Snapshot.class);
            if (s.tree() == null || s.time() == null) {
                throw new CorruptObjectException(what + " lacks its tree or time");
            }
            return s;
        } catch (IOException e) {
            throw new CorruptObjectException(what + " is not a valid snapshot: " + e.getMessage(), e);
        }
    }

    public Snapshot withTags(List<String> newTags) {
        return new Snapshot(version, time, tree, paths, hostname, username, newTags, parent, program, summary);
    }
}
