package io.cairn.engine.tree;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cairn.engine.crypto.CorruptObjectException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A directory listing: its entries sorted by name (UTF-8 byte order). Serialized as compact JSON
 * {@code {"nodes":[...]}}, so equal directories produce equal bytes and deduplicate.
 * Decoding rejects unsafe names ("", ".", "..", anything with '/', '\' or NUL) and duplicates, so a
 * crafted repository cannot make a restore write outside its target.
 */
public record Tree(@JsonProperty("nodes") List<Node> nodes) {

    /** Writes every character as UTF-8, also those outside the BMP (Jackson's default escapes their surrogate pairs). */
    static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private static final Comparator<Node> BY_NAME = (a, b) -> java.util.Arrays.compareUnsigned(
            a.name().getBytes(StandardCharsets.UTF_8), b.name().getBytes(StandardCharsets.UTF_8));

    public Tree {
        nodes = List.copyOf(nodes);
    }

    public static Tree of(List<Node> nodes) {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(BY_NAME);
        return new Tree(sorted);
    }

    public Optional<Node> find(String name) {
        for (Node n : nodes) {
            if (n.name().equals(name)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    public byte[] encode() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize tree", e);
        }
    }

    public static Tree decode(byte[] json, String what) {
        Tree tree;
        try {
            tree = JSON.readValue(json, Tree.class);
        } catch (IOException e) {
            throw new CorruptObjectException(what + " is not a valid tree: " + e.getMessage(), e);
        }
        if (tree.nodes == null) {
            throw new CorruptObjectException(what + " has no node list");
        }
        Set<String> seen = new HashSet<>();
        for (Node n : tree.nodes) {
            if (!Node.isSafeName(n.name())) {
                throw new CorruptObjectException(what + " contains an unsafe entry name " + quote(n.name())
                        + "; refusing to use it");
            }
            if (!seen.add(n.name())) {
                throw new CorruptObjectException(what + " lists " + quote(n.name()) + " twice");
            }
            if (n.type() == null) {
                throw new CorruptObjectException(what + " has an entry without a type: " + quote(n.name()));
            }
        }
        return tree;
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s.replace("\0", "\\0") + "'";
    }


}
