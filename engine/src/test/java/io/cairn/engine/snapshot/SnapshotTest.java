package io.cairn.engine.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.engine.crypto.CorruptObjectException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshot objects (repository-format.md §9): the documented JSON reads, and what a reader refuses. */
class SnapshotTest {

    /** The example of repository-format.md §9, verbatim. */
    private static final String SPEC_EXAMPLE = """
            {"version":1,"time":"2026-11-22T11:42:43.123456789Z","tree":"<hex>","paths":["/srv/app"],
             "hostname":"db1","username":"root","tags":["daily"],"parent":"<snapshot id>","program":"cairn 0.1.0",
             "summary":{"filesNew":1,"filesChanged":0,"filesUnmodified":20030,"dirs":10719,"totalFiles":20031,
             "totalBytes":2053729183,"bytesRead":512,"dataBlobsAdded":1,"treeBlobsAdded":3,"dataAdded":1024,
             "dataAddedPacked":690,"durationMs":4210,"warnings":0}}
            """;

    @Test
    void theDocumentedExampleDecodes() {
        Snapshot s = Snapshot.decode(SPEC_EXAMPLE.getBytes(StandardCharsets.UTF_8), "snapshot");

        assertThat(s.version()).isEqualTo(1);
        assertThat(s.instant()).isEqualTo(Instant.parse("2026-11-22T11:42:43.123456789Z"));
        assertThat(s.paths()).containsExactly("/srv/app");
        assertThat(s.hostname()).isEqualTo("db1");
        assertThat(s.username()).isEqualTo("root");
        assertThat(s.tags()).containsExactly("daily");
        assertThat(s.parent()).isEqualTo("<snapshot id>");
        assertThat(s.program()).isEqualTo("cairn 0.1.0");
        assertThat(s.summary()).isEqualTo(new SnapshotSummary(1, 0, 20030, 10719, 20031, 2053729183L, 512, 1, 3, 1024,
                690, 4210, 0));
    }

    @Test
    void encodesTheDocumentedFieldsAndRoundTrips() throws IOException {
        Snapshot s = new Snapshot(1, "2026-01-02T03:04:05.000000006Z", "ab".repeat(32), List.of("/a", "/b"), "h", "u",
                List.of("t1", "t2"), null, "cairn test", new SnapshotSummary(1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14));

        byte[] json = s.encode();
        JsonNode tree = new ObjectMapper().readTree(json);
        List<String> fields = new java.util.ArrayList<>();
        tree.fieldNames().forEachRemaining(fields::add);

        assertThat(fields).containsExactly("version", "time", "tree", "paths", "hostname", "username", "tags", "program",
                "summary");
        List<String> summaryFields = new java.util.ArrayList<>();
        tree.get("summary").fieldNames().forEachRemaining(summaryFields::add);
        assertThat(summaryFields).containsExactlyInAnyOrder("filesNew", "filesChanged", "filesUnmodified", "dirs",
                "totalFiles", "totalBytes", "bytesRead", "dataBlobsAdded", "treeBlobsAdded", "dataAdded", "dataAddedPacked",
                "durationMs", "warnings");
        assertThat(Snapshot.decode(json, "snapshot")).isEqualTo(s);
        assertThat(s.withTags(List.of("x")).tags()).containsExactly("x");
        assertThat(s.withTags(List.of("x")).tree()).isEqualTo(s.tree());
    }

    @Test
    void absentListsBecomeEmptyAndUnknownFieldsAreIgnored() {
        String json = "{\"version\":1,\"time\":\"2026-01-01T00:00:00Z\",\"tree\":\"ab\",\"futureField\":{\"x\":1}}";
        Snapshot s = Snapshot.decode(json.getBytes(StandardCharsets.UTF_8), "snapshot");
        assertThat(s.paths()).isEmpty();
        assertThat(s.tags()).isEmpty();
        assertThat(s.summary()).isNull();
    }

    @Test
    void aSnapshotWithoutTreeOrTimeOrNotJsonIsRejected() {
        for (String bad : List.of("{\"version\":1,\"time\":\"2026-01-01T00:00:00Z\"}", "{\"version\":1,\"tree\":\"ab\"}",
                "[1,2]", "garbage")) {
            assertThatThrownBy(() -> Snapshot.decode(bad.getBytes(StandardCharsets.UTF_8), "snapshot 1234")).as(bad)
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining("snapshot 1234");
        }
    }

    @Test
    void aRefHasAShortId() {
        SnapshotRef ref = new SnapshotRef("0123456789abcdef".repeat(4), null);
        assertThat(ref.shortId()).isEqualTo("01234567");
    }
}
