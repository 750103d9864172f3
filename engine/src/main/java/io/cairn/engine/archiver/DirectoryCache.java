package io.cairn.engine.archiver;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.crypto.MasterKey;
import io.cairn.engine.tree.Node;
import io.cairn.engine.tree.Tree;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the last backup of the same paths from this host found in each of its directories, kept on the local disk,
 * so that the next backup does not load, decrypt and compare the parent snapshot's tree of a directory in which
 * nothing changed: a backup with no change loads none of them.
 *
 * <p>An entry maps a directory's <b>fingerprint</b> to the id of the tree the backup stored for it. The fingerprint
 * is the repository's keyed hash of the directory's tree with the files' content ids left out: every field the
 * backup takes from {@code stat} (names, types, modes, owners, sizes, times, inodes, link counts, link targets)
 * and, for subdirectories, their tree ids. A directory whose entries give the same fingerprint again has, under
 * the rule that an incremental backup trusts (a file with the same size, mtime, ctime and inode has the same
 * content), the same tree as then, so its tree id is taken without looking at the parent's tree.
 *
 * <p>The cache is used only when the parent snapshot has the root tree of the backup that wrote it (the root
 * tree's id is in the file): then the parent's trees are that backup's, and the cache never claims more than
 * they would. {@code --force} bypasses it. Its file is sealed with the repository's key (authenticated; fingerprints and ids are keyed hashes
 * and give nothing away); a file that is missing, damaged, from another repository or for another snapshot is
 * ignored, and the backup loads the parent's trees as without a cache. The file is rewritten after each
 * committed backup with that backup's directories only, so it never grows beyond one snapshot's directories.
 */
final class DirectoryCache {

    private static final byte[] MAGIC = "cairn directory cache 1\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD = "cairn-v1 local directory cache".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FINGERPRINT_DOMAIN = "cairn-v1 directory fingerprint\0".getBytes(StandardCharsets.US_ASCII);

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final MasterKey key;
    private final Path file;
    /** What the parent's backup recorded; empty when it cannot be used. */
    private final Map<BlobId, BlobId> previous;
    /** What this backup finds, written at its commit. */
    private final Map<BlobId, BlobId> next = new ConcurrentHashMap<>();

    private DirectoryCache(MasterKey key, Path file, Map<BlobId, BlobId> previous) {
        this.key = key;
        this.file = file;
        this.previous = previous;
    }

    /**
     * Opens the cache of backups of {@code paths} from {@code host} into the repository {@code repositoryId}, under
     * {@code directory}; its entries are used only if they were written by a backup whose root tree is
     * {@code parentRootTree}, the parent snapshot's (null: none).
     */
    static DirectoryCache open(Path directory, String repositoryId, String host, List<String> paths, MasterKey key,
            String parentRootTree) {
        Path file = directory.resolve(repositoryId).resolve("directories").resolve(fileName(host, paths, key));
        Map<BlobId, BlobId> previous = parentRootTree == null ? Map.of() : read(file, key, parentRootTree);
        return new DirectoryCache(key, file, previous);
    }

    /** Whether the parent's backup left entries to look up. */
    boolean knowsAny() {
        return !previous.isEmpty();
    }

    /** The tree the parent's backup stored for a directory with these entries, or null. */
    BlobId unchangedTree(List<Node> entries) {
        return previous.isEmpty() ? null : previous.get(fingerprint(entries));
    }

    /** Records the tree this backup stored (or kept) for a directory with these entries. */
    void record(List<Node> entries, BlobId tree) {
        next.put(fingerprint(entries), tree);
    }

    /** Number of directories recorded by this backup. */
    int recorded() {
        return next.size();
    }

    /** Writes this backup's directories, whose root tree is {@code rootTree}; a failure only loses the cache. */
    void save(String rootTree) throws IOException {
        byte[] id = rootTree.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer plain = ByteBuffer.allocate(MAGIC.length + 2 + id.length + 4 + next.size() * 2 * BlobId.LENGTH);
        plain.put(MAGIC).putShort((short) id.length).put(id).putInt(next.size());
        for (Map.Entry<BlobId, BlobId> e : next.entrySet()) {
            plain.put(e.getKey().bytes()).put(e.getValue().bytes());
        }
        byte[] sealed = key.seal(plain.array(), AAD, new SecureRandom());
        createOwnerOnly(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            try (var out = Files.newByteChannel(temp, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), ownerOnly(OWNER_ONLY_FILE))) {
                ByteBuffer bytes = ByteBuffer.wrap(sealed);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Creates {@code dir} and its missing parents readable by the owner only (where the file system has modes). */
    private static void createOwnerOnly(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createOwnerOnly(parent);
        }
        try {
            Files.createDirectory(dir, ownerOnly(OWNER_ONLY_DIRECTORY));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // made meanwhile by another backup
        }
    }

    private static FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions) {
        return POSIX ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }

    private BlobId fingerprint(List<Node> entries) {
        List<Node> withoutContent = new ArrayList<>(entries.size());
        for (Node n : entries) {
            withoutContent.add(n.isFile() && n.content() != null ? n.withContent(null, n.size()) : n);
        }
        byte[] encoded = Tree.of(withoutContent).encode();
        byte[] input = new byte[FINGERPRINT_DOMAIN.length + encoded.length];
        System.arraycopy(FINGERPRINT_DOMAIN, 0, input, 0, FINGERPRINT_DOMAIN.length);
        System.arraycopy(encoded, 0, input, FINGERPRINT_DOMAIN.length, encoded.length);
        return BlobId.wrap(key.blobId(input, 0, input.length));
    }

    private static String fileName(String host, List<String> paths, MasterKey key) {
        byte[] what = (host + "\0" + String.join("\0", paths)).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(key.blobId(what, 0, what.length), 0, 16);
    }

    private static Map<BlobId, BlobId> read(Path file, MasterKey key, String parentRootTree) {
        byte[] sealed;
        try {
            sealed = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            return Map.of(); // a cache that cannot be read is no cache
        }
        try {
            ByteBuffer plain = ByteBuffer.wrap(key.open(sealed, AAD, "directory cache " + file));
            byte[] magic = new byte[MAGIC.length];
            plain.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                return Map.of();
            }
            byte[] id = new byte[plain.getShort()];
            plain.get(id);
            if (!new String(id, StandardCharsets.US_ASCII).equals(parentRootTree)) {
                return Map.of(); // written by a backup whose trees are not the parent's
            }
            int n = plain.getInt();
            Map<BlobId, BlobId> entries = new java.util.HashMap<>(Math.max(16, n * 4 / 3 + 1));
            for (int i = 0; i < n; i++) {
                byte[] fingerprint = new byte[BlobId.LENGTH];
                byte[] tree = new byte[BlobId.LENGTH];
                plain.get(fingerprint).get(tree);
                entries.put(BlobId.wrap(fingerprint), BlobId.wrap(tree));
            }
            return entries;
        } catch (CorruptObjectException | java.nio.BufferUnderflowException | IllegalArgumentException
                 | NegativeArraySizeException e) {
            return Map.of(); // damaged, or sealed with another repository's key
        }
    }
}
