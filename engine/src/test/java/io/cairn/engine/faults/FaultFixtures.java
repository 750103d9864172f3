package io.cairn.engine.faults;

import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupOptions;
import io.cairn.engine.archiver.BackupResult;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.KdfParams;
import io.cairn.engine.progress.ProgressListener;
import io.cairn.engine.repository.BlobWriter;
import io.cairn.engine.repository.Repository;
import io.cairn.engine.restorer.RestoreOptions;
import io.cairn.engine.restorer.RestoreResult;
import io.cairn.engine.restorer.Restorer;
import io.cairn.engine.snapshot.Snapshot;
import io.cairn.engine.snapshot.SnapshotRef;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.Tree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Shared set-up of the engine fault tests: small fast repositories, data, crafted trees, file listings. */
final class FaultFixtures {

    static final char[] PASSWORD = "correct horse".toCharArray();

    private FaultFixtures() {
    }

    /**
     * A new repository in {@code dir} with a test-only key derivation, small chunks (4–64 KiB) and
     * 256 KiB packs, so small data already spans many blobs and packs.
     */
    static Repository initRepository(Path dir) throws IOException {
        System.setProperty("cairn.insecureTestKdf", "true");
        return Repository.init(new LocalBackend(dir), PASSWORD, Repository.InitOptions.defaults()
                .withKdf(new KdfParams(64, 1, 1)).withChunker(4 * 1024, 16 * 1024, 64 * 1024).withPackSize(256 * 1024),
                Clock.systemUTC());
    }

    /** Incompressible bytes from a seed. */
    static byte[] randomBytes(long seed, int length) {
        byte[] data = new byte[length];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    static BackupResult backup(Repository repo, Path... paths) throws IOException {
        return new Archiver(repo, BackupOptions.defaults().withParent("").withLockWait(Duration.ZERO),
                ProgressListener.NONE).backup(List.of(paths));
    }

    static RestoreResult restore(Repository repo, String snapshotId, Path target) throws IOException {
        return new Restorer(repo, RestoreOptions.defaults(), ProgressListener.NONE)
                .restore(repo.loadSnapshot(snapshotId), target);
    }

    /** Where a backed-up absolute path ends up below a restore target (snapshots keep full paths). */
    static Path restored(Path target, Path original) {
        Path abs = original.toAbsolutePath().normalize();
        return target.resolve(abs.getRoot().relativize(abs).toString());
    }

    /**
     * Writes a snapshot whose root tree blob is exactly the bytes of {@code rootTreeJson}, without any
     * of the validation the archiver applies. Returns the snapshot id.
     */
    static String saveCraftedSnapshot(Repository repo, String rootTreeJson) throws IOException {
        try (BlobWriter writer = new BlobWriter(repo, repo.defaultCompression())) {
            BlobId root = writer.saveAndId(BlobType.TREE, rootTreeJson.getBytes(StandardCharsets.UTF_8));
            writer.flush();
            return repo.saveSnapshot(new Snapshot(1, repo.clock().instant().toString(), root.hex(), List.of("/crafted"),
                    "crafted-host", "crafted-user", List.of(), null, "fault test", null));
        }
    }

    /** Stores blobs (data or tree) for a crafted snapshot; returns their ids in order. */
    static List<BlobId> saveBlobs(Repository repo, BlobType type, byte[]... blobs) throws IOException {
        List<BlobId> ids = new ArrayList<>();
        try (BlobWriter writer = new BlobWriter(repo, repo.defaultCompression())) {
            for (byte[] blob : blobs) {
                ids.add(writer.saveAndId(type, blob));
            }
            writer.flush();
        }
        return ids;
    }

    /** The JSON of a tree holding exactly the given node objects, in the given order. */
    static String treeJson(String... nodeJson) {
        return "{\"nodes\":[" + String.join(",", nodeJson) + "]}";
    }

    /** A file node with a name that need not be valid. */
    static String fileNode(String name, BlobId content, int size) {
        return "{\"name\":" + jsonString(name) + ",\"type\":\"file\",\"mode\":420,\"uid\":0,\"gid\":0,"
                + "\"mtimeNs\":1000000000,\"ctimeNs\":0,\"inode\":0,\"device\":0,\"links\":1,\"size\":" + size
                + ",\"content\":[\"" + content.hex() + "\"]}";
    }

    static String dirNode(String name, BlobId subtree) {
        return "{\"name\":" + jsonString(name) + ",\"type\":\"dir\",\"mode\":493,\"uid\":0,\"gid\":0,"
                + "\"mtimeNs\":1000000000,\"ctimeNs\":0,\"inode\":0,\"device\":0,\"links\":1,\"size\":0,"
                + "\"subtree\":\"" + subtree.hex() + "\"}";
    }

    static String symlinkNode(String name, String target) {
        return "{\"name\":" + jsonString(name) + ",\"type\":\"symlink\",\"mode\":511,\"uid\":0,\"gid\":0,"
                + "\"mtimeNs\":1000000000,\"ctimeNs\":0,\"inode\":0,\"device\":0,\"links\":1,\"size\":0,"
                + "\"linkTarget\":" + jsonString(target) + "}";
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Every data blob id of a file in a snapshot, found by walking the snapshot's trees along {@code original}. */
    static Node fileNodeOf(Repository repo, SnapshotRef snapshot, Path original) throws IOException {
        Tree tree = repo.loadTree(snapshot.snapshot().tree());
        Path abs = original.toAbsolutePath().normalize();
        Node node = null;
        for (int i = 0; i < abs.getNameCount(); i++) {
            String name = abs.getName(i).toString();
            node = tree.find(name).orElseThrow(() -> new AssertionError(name + " is not in snapshot " + snapshot.id()));
            if (i < abs.getNameCount() - 1) {
                tree = repo.loadTree(node.subtree());
            }
        }
        return node;
    }

    /**
     * A listing of everything below {@code root} (not following symlinks): relative path → kind,
     * size and content digest (files), link target (symlinks), and modification time. Two equal
     * listings mean nothing below the root was created, removed or changed.
     */
    static TreeMap<String, String> listing(Path root) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String what;
                if (a.isSymbolicLink()) {
                    what = "link->" + Files.readSymbolicLink(p);
                } else if (a.isDirectory()) {
                    what = "dir";
                } else {
                    what = "file " + a.size() + " " + java.util.HexFormat.of().formatHex(sha256(Files.readAllBytes(p)));
                }
                out.put(root.relativize(p).toString(), what + " mtime=" + a.lastModifiedTime().toMillis()
                        + " perms=" + (a.isSymbolicLink() ? "-" : Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        return out;
    }

    static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
