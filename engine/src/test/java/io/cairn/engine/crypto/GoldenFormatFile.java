package io.cairn.engine.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One golden vector of {@code src/test/resources/golden/format/}, written by the independent
 * {@code generate_vectors.py}: UTF-8 lines that are either {@code # comment} or {@code key = value}.
 * A key may repeat ({@code vector = ...}); {@link #values} returns every occurrence in order.
 */
public final class GoldenFormatFile {

    /** The fixed master key of every vector: encryption key 00..1f, id key 20..3f. */
    public static final MasterKey MASTER_KEY = new MasterKey(range(0x00, 32), range(0x20, 32));

    private final String name;
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private GoldenFormatFile(String name, String text) {
        this.name = name;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf(" = ");
            if (eq < 0) {
                throw new IllegalStateException(name + ": not 'key = value': " + line);
            }
            values.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 3));
        }
    }

    public static GoldenFormatFile load(String name) {
        try (InputStream in = GoldenFormatFile.class.getResourceAsStream("/golden/format/" + name)) {
            if (in == null) {
                throw new IllegalStateException("golden vector golden/format/" + name + " is not on the test classpath");
            }
            return new GoldenFormatFile(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String value(String key) {
        List<String> all = values(key);
        if (all.size() != 1) {
            throw new IllegalStateException(name + ": expected one '" + key + "', found " + all.size());
        }
        return all.get(0);
    }

    public List<String> values(String key) {
        return values.getOrDefault(key, List.of());
    }

    public byte[] hex(String key) {
        return HexFormat.of().parseHex(value(key));
    }

    public int integer(String key) {
        return Integer.parseInt(value(key));
    }

    /**
     * The bytes a description names: {@code empty}, {@code ascii:<text>}, or
     * {@code pattern:<length>:<modulus>} (byte i = i mod modulus).
     */
    public static byte[] describedBytes(String description) {
        if (description.equals("empty")) {
            return new byte[0];
        }
        if (description.startsWith("ascii:")) {
            return description.substring(6).getBytes(StandardCharsets.US_ASCII);
        }
        if (description.startsWith("pattern:")) {
            String[] parts = description.split(":");
            int length = Integer.parseInt(parts[1]);
            int modulus = Integer.parseInt(parts[2]);
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                out[i] = (byte) (i % modulus);
            }
            return out;
        }
        throw new IllegalArgumentException("unknown data description: " + description);
    }

    static byte[] range(int start, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (start + i);
        }
        return out;
    }
}
