package io.cairn.engine.tree;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cairn.engine.crypto.CorruptObjectException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    /** The nodes by name, for looking up many of them (find is a linear search). */
    public Map<String, Node> byName() {
        Map<String, Node> map = new HashMap<>(Math.max(4, nodes.size() * 4 / 3 + 1));
        for (Node n : nodes) {
            map.put(n.name(), n);
        }
        return map;
    }

    public Optional<Node> find(String name) {
        for (Node n : nodes) {
            if (n.name().equals(name)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /**
     * The tree's canonical bytes (repository-format.md §9, §13): compact JSON, node fields in the order of
     * {@link Node}'s {@code @JsonPropertyOrder}, absent (null) fields left out. Written with Jackson's
     * streaming generator rather than its object mapper: the mapper's reflection cost a no-change backup of
     * 10,700 directories a tenth of its walk; the bytes are the same (TreeTest compares the two).
     */
    public byte[] encode() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(32 + 160 * nodes.size());
        try (JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeFieldName("nodes");
            g.writeStartArray();
            for (Node n : nodes) {
                writeNode(g, n);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize tree", e);
        }
        return out.toByteArray();
    }

    private static void writeNode(JsonGenerator g, Node n) throws IOException {
        g.writeStartObject();
        writeString(g, "name", n.name());
        writeString(g, "type", n.type() == null ? null : n.type().label());
        g.writeNumberField("mode", n.mode());
        g.writeNumberField("uid", n.uid());
        g.writeNumberField("gid", n.gid());
        writeString(g, "user", n.user());
        writeString(g, "group", n.group());
        g.writeNumberField("mtimeNs", n.mtimeNs());
        g.writeNumberField("ctimeNs", n.ctimeNs());
        g.writeNumberField("inode", n.inode());
        g.writeNumberField("device", n.device());
        g.writeNumberField("links", n.links());
        g.writeNumberField("size", n.size());
        if (n.content() != null) {
            g.writeFieldName("content");
            g.writeStartArray();
            for (String id : n.content()) {
                g.writeString(id);
            }
            g.writeEndArray();
        }
        writeString(g, "subtree", n.subtree());
        writeString(g, "linkTarget", n.linkTarget());
        g.writeEndObject();
    }

    private static void writeString(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    /**
     * Reads a tree blob, rejecting what a restore must not trust: unsafe or duplicate names, entries without a
     * type, values of the wrong kind. Unknown fields are skipped (format §15). Read with Jackson's streaming
     * parser, for the reason {@link #encode} gives.
     */
    public static Tree decode(byte[] json, String what) {
        List<Node> nodes = null;
        try (JsonParser p = JSON.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CorruptObjectException(what + " is not a valid tree: not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!"nodes".equals(field)) {
                    p.skipChildren();
                } else if (value == JsonToken.START_ARRAY) {
                    nodes = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        nodes.add(readNode(p, what));
                    }
                } else if (value != JsonToken.VALUE_NULL) {
                    throw new CorruptObjectException(what + " is not a valid tree: its nodes are not a list");
                }
            }
        } catch (IOException e) {
            throw new CorruptObjectException(what + " is not a valid tree: " + e.getMessage(), e);
        }
        if (nodes == null) {
            throw new CorruptObjectException(what + " has no node list");
        }
        Set<String> seen = new HashSet<>();
        for (Node n : nodes) {
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
        return new Tree(nodes);
    }

    private static Node readNode(JsonParser p, String what) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new CorruptObjectException(what + " is not a valid tree: an entry is not a JSON object");
        }
        String name = null;
        NodeType type = null;
        int mode = 0;
        int uid = 0;
        int gid = 0;
        String user = null;
        String group = null;
        long mtimeNs = 0;
        long ctimeNs = 0;
        long inode = 0;
        long device = 0;
        int links = 0;
        long size = 0;
        List<String> content = null;
        String subtree = null;
        String linkTarget = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> name = string(p, what);
                case "type" -> type = type(string(p, what), what);
                case "mode" -> mode = p.getIntValue();
                case "uid" -> uid = p.getIntValue();
                case "gid" -> gid = p.getIntValue();
                case "user" -> user = string(p, what);
                case "group" -> group = string(p, what);
                case "mtimeNs" -> mtimeNs = p.getLongValue();
                case "ctimeNs" -> ctimeNs = p.getLongValue();
                case "inode" -> inode = p.getLongValue();
                case "device" -> device = p.getLongValue();
                case "links" -> links = p.getIntValue();
                case "size" -> size = p.getLongValue();
                case "content" -> content = strings(p, what);
                case "subtree" -> subtree = string(p, what);
                case "linkTarget" -> linkTarget = string(p, what);
                default -> p.skipChildren();
            }
        }
        return new Node(name, type, mode, uid, gid, user, group, mtimeNs, ctimeNs, inode, device, links, size, content,
                subtree, linkTarget);
    }

    private static String string(JsonParser p, String what) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            default -> throw new CorruptObjectException(what + " is not a valid tree: '" + p.currentName()
                    + "' is not a string");
        };
    }

    private static List<String> strings(JsonParser p, String what) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new CorruptObjectException(what + " is not a valid tree: a content list is not a list");
        }
        List<String> ids = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw new CorruptObjectException(what + " is not a valid tree: a content id is not a string");
            }
            ids.add(p.getText());
        }
        return ids;
    }

    private static NodeType type(String label, String what) {
        if (label == null) {
            return null;
        }
        try {
            return NodeType.parse(label);
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException(what + " has an entry of unknown type '" + label + "'");
        }
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s.replace("\0", "\\0") + "'";
    }


}
