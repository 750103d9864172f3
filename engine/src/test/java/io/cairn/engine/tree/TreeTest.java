package io.cairn.engine.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.crypto.GoldenFormatFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tree blobs (repository-format.md §9): canonical JSON bytes, and names a reader must refuse. */
class TreeTest {

    private static Node node(String name, NodeType type, int mode, long inode, int links, long size, List<String> content,
                             String subtree, String target) {
        return new Node(name, type, mode, 1000, 100, "ann", "users", 1620284889123456789L, 1620284890000000001L, inode,
                2049, links, size, content, subtree, target);
    }

    /** The nodes of golden/format/tree.txt, deliberately not in sorted order. */
    static List<Node> goldenNodes() {
        return List.of(
                node("\uD83D\uDE00", NodeType.FILE, 0644, 11, 1, 0, List.of(), null, null),
                node("Zeta", NodeType.DIR, 02775, 12, 2, 0, null, "ab".repeat(32), null),
                node("a", NodeType.SYMLINK, 0777, 13, 1, 0, null, null, "../target with space"),
                node("b.txt", NodeType.FILE, 0600, 14, 2, 70000, List.of("01".repeat(32), "02".repeat(32)), null, null),
                node("\u00e9t\u00e9", NodeType.FILE, 0755, 15, 1, 5, List.of("03".repeat(32)), null, null),
                node("\uFB00", NodeType.FILE, 0644, 16, 1, 1, List.of("04".repeat(32)), null, null));
    }

    @Test
    void encodesTheGoldenBytesSortedByUtf8() {
        GoldenFormatFile golden = GoldenFormatFile.load("tree.txt");
        Tree tree = Tree.of(goldenNodes());

        assertThat(new String(tree.encode(), StandardCharsets.UTF_8)).isEqualTo(golden.value("json"));
        assertThat(tree.nodes()).extracting(Node::name)
                .containsExactly("Zeta", "a", "b.txt", "\u00e9t\u00e9", "\uFB00", "\uD83D\uDE00");
        Tree decoded = Tree.decode(golden.value("json").getBytes(StandardCharsets.UTF_8), "tree");
        assertThat(decoded).isEqualTo(tree);
        assertThat(decoded.find("a").orElseThrow().linkTarget()).isEqualTo("../target with space");
        assertThat(decoded.find("missing")).isEmpty();
    }

    @Test
    void equalDirectoriesGiveEqualBytesWhateverTheInputOrder() {
        List<Node> nodes = goldenNodes();
        List<Node> reversed = new java.util.ArrayList<>(nodes);
        java.util.Collections.reverse(reversed);
        assertThat(Tree.of(reversed).encode()).isEqualTo(Tree.of(nodes).encode());
    }

    @Test
    void theStreamingEncodingIsTheObjectMappersByteForByteAndReadsBack() throws Exception {
        java.util.Random random = new java.util.Random(42);
        String[] names = {"a", "\u00e9t\u00e9", "\uD83D\uDE00 smile", "tab\there", "quote\"and", "ctrl\u0001",
            "\u2028line", "x".repeat(300)};
        for (int round = 0; round < 200; round++) {
            List<Node> nodes = new java.util.ArrayList<>();
            int count = random.nextInt(6);
            for (int i = 0; i < count; i++) {
                NodeType type = NodeType.values()[random.nextInt(3)];
                List<String> content = type != NodeType.FILE ? null
                        : java.util.stream.IntStream.range(0, random.nextInt(4)).mapToObj(k -> Long.toHexString(random.nextLong())).toList();
                nodes.add(new Node(names[random.nextInt(names.length)] + i, type, random.nextInt(07777), random.nextInt(),
                        random.nextInt(), random.nextBoolean() ? null : names[random.nextInt(names.length)],
                        random.nextBoolean() ? null : "grp", random.nextLong(), random.nextLong(), random.nextLong(),
                        random.nextLong(), random.nextInt(), type == NodeType.FILE ? Math.abs(random.nextLong()) : 0, content,
                        type == NodeType.DIR ? "ab".repeat(32) : null, type == NodeType.SYMLINK ? "../t " + i : null));
            }
            Tree tree = Tree.of(nodes);
            byte[] streamed = tree.encode();
            assertThat(streamed).as("round %d", round).isEqualTo(Tree.JSON.writeValueAsBytes(tree));
            assertThat(Tree.decode(streamed, "tree")).isEqualTo(tree);
        }
    }

    @Test
    void valuesOfTheWrongKindAreRejected() {
        for (String bad : List.of("{\"nodes\":[{\"name\":\"x\",\"type\":\"file\",\"mode\":\"420\"}]}",
                "{\"nodes\":[{\"name\":5,\"type\":\"file\"}]}",
                "{\"nodes\":[{\"name\":\"x\",\"type\":\"file\",\"content\":\"ab\"}]}",
                "{\"nodes\":[{\"name\":\"x\",\"type\":\"file\",\"content\":[1]}]}",
                "{\"nodes\":[{\"name\":\"x\",\"type\":\"file\",\"size\":1e400}]}",
                "{\"nodes\":[null]}", "{\"nodes\":{}}", "{\"nodes\":[{\"name\":\"x\",\"type\":\"file\"}]")) {
            assertThatThrownBy(() -> Tree.decode(bad.getBytes(StandardCharsets.UTF_8), "tree 77")).as(bad)
                    .isInstanceOf(CorruptObjectException.class).hasMessageContaining("tree 77");
        }
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = "{\"nodes\":[{\"name\":\"f\",\"type\":\"file\",\"mode\":420,\"size\":0,\"content\":[],"
                + "\"xattrs\":{\"user.k\":\"v\"}}],\"future\":1}";
        Tree tree = Tree.decode(json.getBytes(StandardCharsets.UTF_8), "tree");
        assertThat(tree.nodes()).singleElement().satisfies(n -> {
            assertThat(n.name()).isEqualTo("f");
            assertThat(n.mode()).isEqualTo(420);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "/", "a\\\\b", "nul\\u0000byte"})
    void unsafeNamesAreRejected(String jsonName) {
        String json = "{\"nodes\":[{\"name\":\"" + jsonName + "\",\"type\":\"file\",\"mode\":420}]}";
        assertThatThrownBy(() -> Tree.decode(json.getBytes(StandardCharsets.UTF_8), "tree 1234"))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("tree 1234")
                .hasMessageContaining("unsafe entry name");
    }

    @Test
    void duplicateMissingAndMalformedEntriesAreRejected() {
        String dup = "{\"nodes\":[{\"name\":\"x\",\"type\":\"file\"},{\"name\":\"x\",\"type\":\"dir\"}]}";
        String noType = "{\"nodes\":[{\"name\":\"x\"}]}";
        String noName = "{\"nodes\":[{\"type\":\"file\"}]}";
        String badType = "{\"nodes\":[{\"name\":\"x\",\"type\":\"fifo\"}]}";
        assertThatThrownBy(() -> Tree.decode(dup.getBytes(StandardCharsets.UTF_8), "tree"))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining("'x' twice");
        assertThatThrownBy(() -> Tree.decode(noType.getBytes(StandardCharsets.UTF_8), "tree"))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining("without a type");
        assertThatThrownBy(() -> Tree.decode(noName.getBytes(StandardCharsets.UTF_8), "tree"))
                .isInstanceOf(CorruptObjectException.class);
        assertThatThrownBy(() -> Tree.decode(badType.getBytes(StandardCharsets.UTF_8), "tree"))
                .isInstanceOf(CorruptObjectException.class);
        for (String bad : List.of("", "{", "[]", "{\"nodes\":null}", "{}", "not json")) {
            assertThatThrownBy(() -> Tree.decode(bad.getBytes(StandardCharsets.UTF_8), "tree")).as(bad)
                    .isInstanceOf(CorruptObjectException.class);
        }
    }

    @Test
    void safeNamesAreAccepted() {
        for (String name : List.of("a", "...", ".hidden", "with space", "\u00e9", "a:b", "-")) {
            assertThat(Node.isSafeName(name)).as(name).isTrue();
        }
        for (String name : java.util.Arrays.asList(null, "", ".", "..", "a/b", "a\\b", "a\0b")) {
            assertThat(Node.isSafeName(name)).as(String.valueOf(name)).isFalse();
        }
    }

    @Test
    void nodeCopiesChangeOneThing() {
        Node n = goldenNodes().get(3);
        assertThat(n.withName("c").name()).isEqualTo("c");
        assertThat(n.withName("c").content()).isEqualTo(n.content());
        assertThat(n.withSubtree("cd".repeat(32)).subtree()).isEqualTo("cd".repeat(32));
        Node resized = n.withContent(List.of("05".repeat(32)), 3);
        assertThat(resized.content()).containsExactly("05".repeat(32));
        assertThat(resized.size()).isEqualTo(3);
        assertThat(resized.mtimeNs()).isEqualTo(n.mtimeNs());
        assertThat(n.isFile()).isTrue();
        assertThat(goldenNodes().get(1).isDir()).isTrue();
        assertThat(goldenNodes().get(2).isSymlink()).isTrue();
        assertThat(NodeType.parse("symlink")).isEqualTo(NodeType.SYMLINK);
        assertThat(NodeType.DIR.label()).isEqualTo("dir");
    }
}
