package io.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One in-process run of the {@code cairn} command through {@link CairnCommand#run}, against one repository,
 * with what it printed and its exit code.
 */
record CliRun(int exitCode, String out, String err) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs {@code cairn COMMAND --repo=REPO --password-file=FILE ARGS...}: {@code args[0]} is the command. */
    static CliRun of(Path repo, Path passwordFile, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--repo=" + repo);
        all.add(2, "--password-file=" + passwordFile);
        return exactly(all.toArray(String[]::new));
    }

    /** Runs {@code cairn ARGS...} as given. */
    static CliRun exactly(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = CairnCommand.run(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    List<String> lines() {
        return out.lines().toList();
    }

    /** Standard output as JSON, one object per line (the {@code --json} output). */
    List<JsonNode> json() throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines()) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }
}
