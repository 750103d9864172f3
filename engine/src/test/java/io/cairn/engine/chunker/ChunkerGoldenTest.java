package io.cairn.engine.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins the chunker's output to the golden vectors in {@code src/test/resources/golden/chunker/}.
 * These files are part of the repository format: if a test here fails, the chunker now cuts
 * differently and existing repositories would stop deduplicating against new backups.
 *
 * <p>File format (meant to be read by other implementations too): UTF-8 lines, each one of
 * <ul>
 *   <li>{@code # comment}</li>
 *   <li>{@code key = value}: {@code gear-seed} (64 hex digits), {@code min-size}, {@code avg-size},
 *       {@code max-size}, {@code normalization}, {@code input} ({@code splitmix64 <seed> <length>},
 *       see {@link SplitMix64}, or {@code zeros <length>}), {@code input-sha256} (hex, checks the
 *       input generator), {@code chunk-count}</li>
 *   <li>a decimal chunk length; all of them, in stream order.</li>
 * </ul>
 * {@code gear-table.txt} instead lists {@code gear[i]} for its {@code gear-seed} as
 * {@code <i in 2 hex digits> <gear[i] in 16 hex digits>}.
 *
 * <p>On a mismatch the test writes what the code produces now to
 * {@code target/golden-actual/chunker/}, so a deliberate format change can be reviewed and copied.
 */
class ChunkerGoldenTest {

    private static final Path ACTUAL_DIR = Path.of("target", "golden-actual", "chunker");

    @ParameterizedTest
    @ValueSource(strings = {"default-params.txt", "small-params.txt", "small-params-zeros.txt"})
    void chunkLengthsMatchGoldenFile(String name) throws IOException {
        GoldenFile golden = GoldenFile.load(name);
        ChunkerParams params = new ChunkerParams(
                golden.intProperty("min-size"),
                golden.intProperty("avg-size"),
                golden.intProperty("max-size"),
                golden.intProperty("normalization"),
                HexFormat.of().parseHex(golden.property("gear-seed")));
        byte[] input = generateInput(golden.property("input"));
        String inputSha256 = HexFormat.of().formatHex(sha256(input));

        List<Integer> lengths = new ArrayList<>();
        ChunkStream chunks = new Chunker(params).open(new ByteArrayInputStream(input));
        for (Chunk chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
            lengths.add(chunk.length());
        }

        Map<String, String> actualProperties = new LinkedHashMap<>(golden.properties);
        actualProperties.put("input-sha256", inputSha256);
        actualProperties.put("chunk-count", Integer.toString(lengths.size()));
        List<String> actualValues = lengths.stream().map(String::valueOf).toList();
        if (!actualProperties.equals(golden.properties) || !actualValues.equals(golden.values)) {
            Path written = golden.writeActual(actualProperties, actualValues);
            fail("Chunker output for " + name + " differs from the golden file (input-sha256 "
                    + inputSha256 + ", " + lengths.size() + " chunks). What the code produces now is in "
                    + written.toAbsolutePath() + ". A deliberate change of chunk boundaries is a repository"
                    + " format change: update docs/design/repository-format.md and the golden file together.");
        }
        assertThat(lengths.stream().mapToLong(Integer::longValue).sum()).isEqualTo(input.length);
    }

    @Test
    void gearTableMatchesGoldenFile() throws IOException {
        GoldenFile golden = GoldenFile.load("gear-table.txt");
        long[] gear = GearTable.derive(HexFormat.of().parseHex(golden.property("gear-seed")));
        List<String> actualValues = new ArrayList<>();
        for (int i = 0; i < gear.length; i++) {
            actualValues.add(String.format("%02x %016x", i, gear[i]));
        }
        if (!actualValues.equals(golden.values)) {
            Path written = golden.writeActual(golden.properties, actualValues);
            fail("Gear table differs from gear-table.txt; what the code produces now is in "
                    + written.toAbsolutePath() + ". The gear table is part of the repository format.");
        }
    }

    /** Builds the input named by an {@code input} property. */
    static byte[] generateInput(String spec) {
        String[] parts = spec.trim().split("\\s+");
        switch (parts[0]) {
            case "splitmix64":
                return SplitMix64.bytes(Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
            case "zeros":
                return new byte[Integer.parseInt(parts[1])];
            default:
                throw new IllegalArgumentException("unknown input generator in golden file: " + spec);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A parsed golden file: comments, properties in file order, then values (one per line). */
    private static final class GoldenFile {
        final String name;
        final List<String> comments = new ArrayList<>();
        final Map<String, String> properties = new LinkedHashMap<>();
        final List<String> values = new ArrayList<>();

        private GoldenFile(String name) {
            this.name = name;
        }

        static GoldenFile load(String name) throws IOException {
            GoldenFile file = new GoldenFile(name);
            try (InputStream in = ChunkerGoldenTest.class.getResourceAsStream("/golden/chunker/" + name)) {
                assertThat(in).as("golden file golden/chunker/%s on the test classpath", name).isNotNull();
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String trimmed = line.strip();
                    if (trimmed.isEmpty()) {
                        continue;
                    }
                    if (trimmed.startsWith("#")) {
                        file.comments.add(trimmed);
                    } else if (trimmed.contains("=")) {
                        int eq = trimmed.indexOf('=');
                        file.properties.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
                    } else {
                        file.values.add(trimmed);
                    }
                }
            }
            return file;
        }

        String property(String key) {
            String value = properties.get(key);
            if (value == null) {
                throw new IllegalStateException("golden file " + name + " lacks property " + key);
            }
            return value;
        }

        int intProperty(String key) {
            return Integer.parseInt(property(key));
        }

        Path writeActual(Map<String, String> actualProperties, List<String> actualValues) {
            StringBuilder text = new StringBuilder();
            comments.forEach(c -> text.append(c).append('\n'));
            actualProperties.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
            actualValues.forEach(v -> text.append(v).append('\n'));
            try {
                Files.createDirectories(ACTUAL_DIR);
                Path path = ACTUAL_DIR.resolve(name);
                Files.writeString(path, text, StandardCharsets.UTF_8);
                return path;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
