package io.cairn.testkit;

import io.cairn.engine.backend.FileHandle;
import io.cairn.engine.backend.FileType;
import io.cairn.engine.backend.LocalBackend;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

/**
 * A separate process that saves large packs into a {@link LocalBackend} one after another until it
 * is killed; {@code LocalBackendTest} kills it with SIGKILL in the middle of a write.
 * Arguments: repository directory, object size in bytes, most objects to write.
 */
public final class CrashingWriter {

    private CrashingWriter() {
    }

    public static void main(String[] args) throws Exception {
        LocalBackend backend = new LocalBackend(Path.of(args[0]));
        int objectSize = Integer.parseInt(args[1]);
        int objects = Integer.parseInt(args[2]);
        Random names = new Random();
        for (int i = 0; i < objects; i++) {
            byte[] id = new byte[32];
            names.nextBytes(id);
            FileHandle handle = FileHandle.of(FileType.PACK, HexFormat.of().formatHex(id));
            backend.save(handle, contentFor(handle, objectSize));
        }
    }

    /** The bytes written under {@code handle}, so a reader can verify an object is complete and intact. */
    static byte[] contentFor(FileHandle handle, int size) {
        byte[] data = new byte[size];
        new Random(handle.name().hashCode()).nextBytes(data);
        return data;
    }
}
