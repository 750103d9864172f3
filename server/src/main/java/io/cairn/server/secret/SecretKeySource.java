package io.cairn.server.secret;

import io.cairn.server.config.CairnProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the server's secret key: from {@code cairn.secret-key} (base64, usually the
 * {@code CAIRN_SECRET_KEY} environment variable) when set, else from the key file, which is created
 * with 32 random bytes and mode 0600 on first start. The file is written to a temporary name, synced
 * and moved into place, so a crash never leaves a half-written key.
 */
public final class SecretKeySource {

    private static final Logger log = LoggerFactory.getLogger(SecretKeySource.class);
    static final int KEY_BYTES = 32;

    private SecretKeySource() {
    }

    /** The key, and whether it was generated just now (a fresh key file). */
    public record LoadedKey(byte[] key, String origin, boolean created) {
    }

    /**
     * @param mayCreate whether a missing key file may be created; false once the database holds
     *                  secrets sealed with some key (a new key could not open them)
     */
    public static LoadedKey load(CairnProperties properties, SecureRandom random, boolean mayCreate) {
        if (properties.secretKey() != null && !properties.secretKey().isBlank()) {
            return new LoadedKey(decode(properties.secretKey().trim(), "CAIRN_SECRET_KEY"), "CAIRN_SECRET_KEY", false);
        }
        Path file = properties.resolvedSecretKeyFile();
        try {
            if (Files.exists(file)) {
                warnIfReadableByOthers(file);
                String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
                return new LoadedKey(decode(text, "the key file " + file), file.toString(), false);
            }
            if (!mayCreate) {
                throw new SecretKeyUnavailableException("The secret key file " + file + " is missing, but the metadata "
                        + "database holds secrets sealed with it. Put the original key file back (or set "
                        + "CAIRN_SECRET_KEY to its content); see docs/configuration.md, \"Secret key\".");
            }
            byte[] key = new byte[KEY_BYTES];
            random.nextBytes(key);
            write(file, Base64.getEncoder().encodeToString(key) + "\n");
            log.info("Created the secret key file {} (mode 0600). Keep a copy: the secrets in the metadata "
                    + "database can only be read with it.", file);
            return new LoadedKey(key, file.toString(), true);
        } catch (IOException e) {
            throw new SecretKeyUnavailableException("Cannot read or create the secret key file " + file + ": "
                    + e.getMessage() + "; fix its permissions, set cairn.secret-key-file, or set CAIRN_SECRET_KEY", e);
        }
    }

    private static byte[] decode(String base64, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new SecretKeyUnavailableException(where + " is not valid base64; it must hold 32 random bytes "
                    + "in base64 (for example the output of: head -c 32 /dev/urandom | base64)");
        }
        if (key.length != KEY_BYTES) {
            throw new SecretKeyUnavailableException(where + " holds " + key.length + " bytes; it must hold exactly "
                    + KEY_BYTES + " bytes in base64 (for example: head -c 32 /dev/urandom | base64)");
        }
        return key;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(ownerOnly));
        } catch (UnsupportedOperationException e) {
            // a file system without POSIX modes (FAT, some network mounts): its mount options decide who reads it
            log.warn("The file system of {} has no POSIX permissions, so the secret key file cannot be made private"
                    + " (mode 0600); keep the data directory on a Linux file system", file);
            Files.createFile(tmp);
        }
        try (var channel = Files.newByteChannel(tmp, StandardOpenOption.WRITE, StandardOpenOption.DSYNC)) {
            channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
        }
        try {
            // No REPLACE_EXISTING: two servers starting at once must not overwrite each other's key.
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("The secret key file {} is readable by other users ({}); run: chmod 600 {}", file,
                        PosixFilePermissions.toString(perms), file);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // nothing to check on this file system
        }
    }
}
