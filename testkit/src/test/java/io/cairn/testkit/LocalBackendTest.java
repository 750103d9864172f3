package io.cairn.testkit;

import io.cairn.engine.backend.BackendFullException;
import io.cairn.engine.backend.FileAlreadyExistsException;
import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileInfo;
import io.cairn.engine.backend.FileNotFoundInBackendException;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;
import io.cairn.engine.backend.RangeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link LocalBackend} promises beyond the contract: layout, temporary files, crashes, full disks. */
class LocalBackendTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    @TempDir
    Path directory;

    private final Random names = new Random(42);

    @Test
    void createLaysOutTheRepository() throws IOException {
        Path root = directory.resolve("repository");
        LocalBackend backend = new LocalBackend(root);

        backend.create();

        for (String name : List.of("keys", "locks", "snapshots", "index", "data")) {
            assertThat(root.resolve(name)).isDirectory();
        }
        List<String> shards = IntStream.range(0, 256).mapToObj(i -> String.format("%02x", i)).collect(Collectors.toList());
        try (Stream<Path> entries = Files.list(root.resolve("data"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(shards);
        }
        assertThat(root.resolve("config")).doesNotExist();
        if (Files.getFileStore(root).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("keys")))).isEqualTo("rwx------");
        }
    }

    @Test
    void createAcceptsAnEmptyOrPartlyLaidOutDirectoryAndFillsInWhatIsMissing() throws IOException {
        Path root = Files.createDirectories(directory.resolve("repository"));
        Files.createDirectories(root.resolve("data").resolve("ab"));
        Files.writeString(root.resolve("README"), "kept");

        new LocalBackend(root).create();

        assertThat(root.resolve("data").resolve("ff")).isDirectory();
        assertThat(root.resolve("snapshots")).isDirectory();
        assertThat(root.resolve("README")).hasContent("kept");
    }

    @Test
    void createRefusesAnExistingRepositoryWithAClearMessage() throws IOException {
        LocalBackend backend = new LocalBackend(directory.resolve("repository"));
        backend.create();
        backend.save(FileHandle.CONFIG, new byte[] {1, 2, 3});

        assertThatThrownBy(backend::create).isInstanceOf(IOException.class)
                .hasMessageContaining("a repository already exists at " + backend.location());
        assertThat(backend.load(FileHandle.CONFIG)).containsExactly(1, 2, 3);
    }

    @Test
    void createRefusesARegularFile() throws IOException {
        Path file = Files.writeString(directory.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> new LocalBackend(file).create()).isInstanceOf(IOException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void savingWithoutARepositoryFailsSayingSo() {
        LocalBackend backend = new LocalBackend(directory.resolve("nothing-here"));

        assertThatThrownBy(() -> backend.save(handle(FileType.SNAPSHOT), new byte[1])).isInstanceOf(IOException.class)
                .hasMessageContaining("is missing; is there a repository at " + backend.location());
    }

    @Test
    void aMissingPackShardIsCreatedOnSave() throws IOException {
        LocalBackend backend = created();
        FileHandle pack = handle(FileType.PACK);
        Path shard = backend.root().resolve("data").resolve(pack.name().substring(0, 2));
        Files.delete(shard);

        backend.save(pack, new byte[] {7});

        assertThat(shard.resolve(pack.name())).hasBinaryContent(new byte[] {7});
    }

    @Test
    void objectsLiveAtTheirDocumentedPaths() throws IOException {
        LocalBackend backend = created();
        FileHandle pack = handle(FileType.PACK);
        FileHandle snapshot = handle(FileType.SNAPSHOT);

        backend.save(pack, new byte[] {1});
        backend.save(snapshot, new byte[] {2});
        backend.save(FileHandle.CONFIG, new byte[] {3});

        assertThat(backend.root().resolve("data/" + pack.name().substring(0, 2) + "/" + pack.name())).hasBinaryContent(new byte[] {1});
        assertThat(backend.root().resolve("snapshots/" + snapshot.name())).hasBinaryContent(new byte[] {2});
        assertThat(backend.root().resolve("config")).hasBinaryContent(new byte[] {3});
    }

    @Test
    void noTemporaryFileRemainsAfterSuccessfulSaves() throws IOException {
        LocalBackend backend = created();
        for (FileType type : FileType.values()) {
            backend.save(type == FileType.CONFIG ? FileHandle.CONFIG : handle(type), new byte[1000]);
        }
        backend.save(handle(FileType.PACK), new byte[0]);

        assertThat(temporaryFiles(backend.root())).isEmpty();
    }

    @Test
    void noTemporaryFileRemainsWhenPublishingFails() throws IOException {
        LocalBackend backend = created();
        FileHandle handle = handle(FileType.PACK);
        backend.save(handle, new byte[] {1});

        // The duplicate's bytes are written to a temporary file first; the hard link then fails.
        assertThatThrownBy(() -> backend.save(handle, new byte[64 * 1024])).isInstanceOf(FileAlreadyExistsException.class);

        assertThat(temporaryFiles(backend.root())).isEmpty();
        assertThat(backend.load(handle)).containsExactly(1);
    }

    @Test
    void publishedObjectsHaveOneLinkSoInPlaceChangesCannotReachAnotherName() throws IOException {
        LocalBackend backend = created();
        FileHandle handle = handle(FileType.INDEX);
        backend.save(handle, new byte[10]);

        Object links = Files.getAttribute(backend.root().resolve(handle.relativePath()), "unix:nlink");

        assertThat(links).isEqualTo(1);
    }

    @Test
    void aCrashedWritersTemporaryFileIsNeverListedOrVisible() throws IOException {
        LocalBackend backend = created();
        FileHandle saved = handle(FileType.SNAPSHOT);
        backend.save(saved, new byte[] {1, 2});
        FileHandle interruptedPack = handle(FileType.PACK);
        Path shard = backend.root().resolve("data").resolve(interruptedPack.name().substring(0, 2));
        Files.write(shard.resolve(".tmp-4711" + interruptedPack.name()), new byte[100]);
        Files.write(backend.root().resolve("snapshots").resolve(".tmp-123.part"), new byte[5]);
        Files.write(backend.root().resolve(".tmp-99.part"), new byte[5]);

        assertThat(backend.list(FileType.PACK)).isEmpty();
        assertThat(backend.list(FileType.SNAPSHOT)).containsExactly(new FileInfo(saved, 2));
        assertThat(backend.list(FileType.CONFIG)).isEmpty();
        assertThat(backend.exists(interruptedPack)).isFalse();
    }

    @Test
    void listSkipsForeignFilesDirectoriesAndPacksInTheWrongShard() throws IOException {
        LocalBackend backend = created();
        FileHandle pack = handle(FileType.PACK, "ab");
        backend.save(pack, new byte[3]);
        Path data = backend.root().resolve("data");
        Files.write(data.resolve("ab").resolve("notes.txt"), new byte[1]);
        Files.write(data.resolve("ab").resolve(pack.name().toUpperCase()), new byte[1]);
        Files.write(data.resolve("cd").resolve(handle(FileType.PACK, "ab").name()), new byte[1]);
        Files.createDirectories(data.resolve("not-a-shard"));
        Files.write(data.resolve("not-a-shard").resolve(handle(FileType.PACK).name()), new byte[1]);
        Files.createDirectories(backend.root().resolve("index").resolve(handle(FileType.INDEX).name()));
        Files.write(backend.root().resolve("locks").resolve("lost+found"), new byte[1]);

        assertThat(backend.list(FileType.PACK)).containsExactly(new FileInfo(pack, 3));
        assertThat(backend.list(FileType.INDEX)).isEmpty();
        assertThat(backend.list(FileType.LOCK)).isEmpty();
    }

    @Test
    void cleanupRemovesOnlyOldTemporaryFiles() throws IOException {
        Path root = directory.resolve("repository");
        LocalBackend backend = new LocalBackend(root, Clock.fixed(NOW, ZoneOffset.UTC));
        backend.create();
        FileHandle object = handle(FileType.PACK, "00");
        backend.save(object, new byte[] {9});
        Path oldPack = temporaryFile(root.resolve("data/00/.tmp-1.part"), NOW.minus(Duration.ofHours(3)));
        Path oldSnapshot = temporaryFile(root.resolve("snapshots/.tmp-2.part"), NOW.minus(Duration.ofHours(2)));
        Path oldConfig = temporaryFile(root.resolve(".tmp-3.part"), NOW.minus(Duration.ofDays(30)));
        Path young = temporaryFile(root.resolve("data/00/.tmp-4.part"), NOW.minus(Duration.ofMinutes(5)));
        Path oldObject = root.resolve(object.relativePath());
        Files.setLastModifiedTime(oldObject, FileTime.from(NOW.minus(Duration.ofDays(400))));

        int removed = backend.cleanupTempFiles(Duration.ofHours(1));

        assertThat(removed).isEqualTo(3);
        assertThat(oldPack).doesNotExist();
        assertThat(oldSnapshot).doesNotExist();
        assertThat(oldConfig).doesNotExist();
        assertThat(young).exists();
        assertThat(backend.load(object)).containsExactly(9);
        assertThat(backend.cleanupTempFiles(Duration.ofHours(1))).isZero();
        assertThatThrownBy(() -> backend.cleanupTempFiles(Duration.ofHours(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShortObjectOnDiskFailsARangedLoadNamingIt() throws IOException {
        LocalBackend backend = created();
        FileHandle handle = handle(FileType.PACK);
        backend.save(handle, new byte[100]);
        CorruptingBackend.truncateOnDisk(backend.root(), handle, 60);

        assertThatThrownBy(() -> backend.load(handle, 50, 20)).isInstanceOf(IOException.class)
                .hasMessageContaining(handle.toString())
                .hasMessageContaining("is 60 bytes, shorter than the requested range of 20 bytes at offset 50");
    }

    @Test
    void freeSpaceComesFromTheFileStore() throws IOException {
        LocalBackend backend = created();

        assertThat(backend.freeSpace()).isPositive();
        assertThat(new LocalBackend(directory.resolve("not/yet/created")).freeSpace()).isPositive();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aWriterKilledMidWriteLeavesOnlyCompleteObjects() throws Exception {
        LocalBackend backend = created();
        int objectSize = 32 * 1024 * 1024;
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingWriter.class.getName(), backend.root().toString(), Integer.toString(objectSize), "40")
                .redirectErrorStream(true).redirectOutput(directory.resolve("writer.log").toFile()).start();
        try {
            boolean killedMidWrite = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline && writer.isAlive()) {
                if (!backend.list(FileType.PACK).isEmpty() && hasNonEmptyTemporaryFile(backend.root())) {
                    writer.destroyForcibly().waitFor();
                    killedMidWrite = true;
                    break;
                }
                Thread.sleep(1);
            }
            assertThat(killedMidWrite).as("the writer was killed while writing (log: %s)",
                    Files.readString(directory.resolve("writer.log"))).isTrue();
        } finally {
            writer.destroyForcibly().waitFor();
        }

        List<FileInfo> packs = backend.list(FileType.PACK);
        assertThat(packs).isNotEmpty();
        for (FileInfo pack : packs) {
            assertThat(pack.size()).isEqualTo(objectSize);
            assertThat(backend.load(pack.handle())).isEqualTo(CrashingWriter.contentFor(pack.handle(), objectSize));
        }
        int leftBehind = temporaryFiles(backend.root()).size();
        LocalBackend later = new LocalBackend(backend.root(), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        assertThat(later.cleanupTempFiles(Duration.ofHours(1))).isEqualTo(leftBehind);
        assertThat(temporaryFiles(backend.root())).isEmpty();
        assertThat(backend.list(FileType.PACK)).containsExactlyInAnyOrderElementsOf(packs);
    }

    @Test
    void aFullDiskDuringWriteRaisesBackendFullAndLeavesNothingBehind() throws Exception {
        try (TmpfsMount disk = TmpfsMount.mount(directory.resolve("disk"), "size=1m")) {
            LocalBackend backend = new LocalBackend(disk.path().resolve("repository"));
            backend.create();
            int objectSize = 200 * 1024;
            List<FileHandle> saved = new ArrayList<>();
            BackendFullException full = null;
            FileHandle failed = null;
            for (int i = 0; i < 20 && full == null; i++) {
                FileHandle handle = handle(FileType.PACK);
                try {
                    backend.save(handle, CrashingWriter.contentFor(handle, objectSize));
                    saved.add(handle);
                } catch (BackendFullException e) {
                    full = e;
                    failed = handle;
                }
            }

            assertThat(full).as("a save on a 1 MiB file system eventually fails as full").isNotNull();
            assertThat(full).hasMessage("the disk at " + backend.location() + " is full (No space left on device): "
                    + "nothing was written for object " + failed + "; free space and retry");
            assertThat(saved).hasSizeBetween(1, 5);
            assertThat(backend.exists(failed)).isFalse();
            assertThat(temporaryFiles(backend.root())).isEmpty();
            assertThat(backend.list(FileType.PACK)).hasSize(saved.size());
            for (FileHandle handle : saved) {
                assertThat(backend.load(handle)).isEqualTo(CrashingWriter.contentFor(handle, objectSize));
            }
            assertThat(backend.freeSpace()).isLessThan(objectSize);

            backend.delete(saved.get(0));
            backend.save(failed, CrashingWriter.contentFor(failed, objectSize));
            assertThat(backend.load(failed)).isEqualTo(CrashingWriter.contentFor(failed, objectSize));
        }
    }

    @Test
    void runningOutOfInodesRaisesBackendFullFromTheFileOperation() throws Exception {
        // create() needs 1 repository directory + 5 type directories + 256 shards.
        try (TmpfsMount disk = TmpfsMount.mount(directory.resolve("disk"), "size=4m,nr_inodes=280")) {
            LocalBackend backend = new LocalBackend(disk.path().resolve("repository"));
            backend.create();
            BackendFullException full = null;
            int saved = 0;
            for (int i = 0; i < 100 && full == null; i++) {
                try {
                    backend.save(handle(FileType.SNAPSHOT), new byte[10]);
                    saved++;
                } catch (BackendFullException e) {
                    full = e;
                }
            }

            assertThat(full).as("saves fail once no inode is left").isNotNull();
            // tmpfs charges an inode slot per name, so either creating the temporary file or linking it fails.
            assertThat(full.getCause()).as("the kernel's answer to a file operation, not to a write")
                    .isInstanceOf(FileSystemException.class);
            assertThat(full.getMessage()).startsWith("the disk at " + backend.location() + " is full").endsWith("free space and retry");
            assertThat(backend.list(FileType.SNAPSHOT)).hasSize(saved);
            assertThat(temporaryFiles(backend.root())).isEmpty();
        }
    }

    @Test
    void aFullDiskDuringCreateRaisesBackendFull() throws Exception {
        try (TmpfsMount disk = TmpfsMount.mount(directory.resolve("disk"), "size=4m,nr_inodes=100")) {
            LocalBackend backend = new LocalBackend(disk.path().resolve("repository"));

            assertThatThrownBy(backend::create).isInstanceOf(BackendFullException.class)
                    .hasMessageStartingWith("the disk at " + backend.location() + " is full")
                    .hasMessageContaining("the repository layout could not be created; free space and retry");
        }
    }

    @Test
    void anOperationsReaderKeepsFewFilesOpenAndClosesThemAll() throws IOException {
        LocalBackend backend = created();
        Path root = directory.resolve("repository").toRealPath();
        List<FileHandle> packs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            FileHandle pack = handle(FileType.PACK);
            backend.save(pack, new byte[]{(byte) i, 1, 2, 3});
            packs.add(pack);
        }
        RangeReader reader = backend.rangeReader();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < packs.size(); i++) {
                assertThat(reader.load(packs.get(i), 0, 2)).containsExactly((byte) i, 1);
            }
            assertThat(openFilesUnder(root)).as("packs held open after round %d", round).isBetween(1L, 16L);
        }
        // a kept file serves its object without opening it again: still readable after it is deleted
        FileHandle last = packs.get(packs.size() - 1);
        backend.delete(last);
        assertThat(reader.load(last, 0, 2)).containsExactly((byte) 39, 1);

        reader.close();

        assertThat(openFilesUnder(root)).as("packs held open after the reader was closed").isZero();
        assertThatThrownBy(() -> reader.load(packs.get(0), 0, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> backend.rangeReader().load(last, 0, 2)).as("a new reader sees the deletion")
                .isInstanceOf(FileNotFoundInBackendException.class);
    }

    /** How many of this process's open file descriptors point to files under {@code root}. */
    private static long openFilesUnder(Path root) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(root.toString());
                } catch (IOException e) {
                    return false; // closed meanwhile (the listing's own descriptor)
                }
            }).count();
        }
    }

    private LocalBackend created() throws IOException {
        LocalBackend backend = new LocalBackend(directory.resolve("repository"));
        backend.create();
        return backend;
    }

    private FileHandle handle(FileType type) {
        byte[] id = new byte[32];
        names.nextBytes(id);
        return FileHandle.of(type, HexFormat.of().formatHex(id));
    }

    private FileHandle handle(FileType type, String prefix) {
        return FileHandle.of(type, prefix + handle(type).name().substring(prefix.length()));
    }

    private static Path temporaryFile(Path path, Instant modified) throws IOException {
        Files.write(path, new byte[10]);
        Files.setLastModifiedTime(path, FileTime.from(modified));
        return path;
    }

    /** Temporary files anywhere in the repository; reads only names, so it is safe while a writer runs. */
    private static List<Path> temporaryFiles(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        List<Path> directories = new ArrayList<>(List.of(root));
        while (!directories.isEmpty()) {
            Path next = directories.remove(directories.size() - 1);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(next)) {
                for (Path entry : entries) {
                    if (entry.getFileName().toString().startsWith(LocalBackend.TEMP_FILE_PREFIX)) {
                        found.add(entry);
                    } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                        directories.add(entry);
                    }
                }
            }
        }
        return found;
    }

    private static boolean hasNonEmptyTemporaryFile(Path root) throws IOException {
        for (Path temp : temporaryFiles(root)) {
            try {
                if (Files.size(temp) > 0) {
                    return true;
                }
            } catch (IOException goneMeanwhile) {
                // published and removed between the walk and the size check
            }
        }
        return false;
    }
}
