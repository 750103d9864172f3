package io.cairn.dumps.postgres;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MarkerSplitterTest {

    @Test
    void splitsAtMarkerLinesOnlyAtTheStartOfALine() throws Exception {
        String text = "header\n-- m contains \"a\"\n-- m globals\nCREATE ROLE x;\nnot -- m marker\n-- m database \"a\"\n"
                + "x".repeat(200_000) + "\n-- m end\n";
        MarkerSplitter s = new MarkerSplitter(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "-- m ");
        assertThat(s.nextMarker()).isEqualTo("contains \"a\"");
        assertThat(s.nextMarker()).isEqualTo("globals");
        assertThat(new String(s.part().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("CREATE ROLE x;\nnot -- m marker\n");
        assertThat(s.nextMarker()).isEqualTo("database \"a\"");
        assertThat(s.part().readAllBytes()).hasSize(200_001);
        assertThat(s.nextMarker()).isEqualTo("end");
        assertThat(s.nextMarker()).isNull();
    }

    @Test
    void globalsKeepExistingRolesAsTheyAre() {
        String globals = "CREATE ROLE app;\nALTER ROLE app WITH LOGIN PASSWORD 'SCRAM-SHA-256$x';\n"
                + "CREATE ROLE \"New Role\";\nALTER ROLE \"New Role\" WITH NOLOGIN;\nGRANT x TO app;\n";
        java.util.List<String> warnings = new java.util.ArrayList<>();
        String out = PostgresAdapter.filterGlobals(globals, Set.of("app"), warnings);
        assertThat(out).doesNotContain("CREATE ROLE app;").doesNotContain("ALTER ROLE app WITH")
                .contains("CREATE ROLE \"New Role\";").contains("ALTER ROLE \"New Role\" WITH NOLOGIN;").contains("GRANT x TO app;");
        assertThat(warnings).containsExactly("1 roles already existed and were left as they are (attributes and passwords unchanged)");
    }
}
