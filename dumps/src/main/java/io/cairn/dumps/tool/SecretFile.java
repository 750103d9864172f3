package io.cairn.dumps.tool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Temporary files holding a secret for a tool ({@code .pgpass}, a MariaDB option file): created with
 * mode 0600 before anything is written, so no other user can ever read them. The caller deletes them
 * (a {@link ToolCommand} does so after its program exited).
 */
public final class SecretFile {
    private SecretFile() {
    }

    /** Creates a 0600 file with {@code content} and returns its path. */
    public static Path create(String prefix, String suffix, String content) throws IOException {
        Path file = Files.createTempFile(prefix, suffix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            file.toFile().deleteOnExit(); // in case the JVM exits while the tool runs
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }
}
