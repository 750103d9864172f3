package io.cairn.engine.backend;

import java.util.Objects;

/**
 * Names one object in a backend. Names are lower-case hex (the object id), except the config
 * object whose name is always {@code "config"}. Any other name is rejected, so a handle can never
 * point outside the repository ("../x", "/etc/passwd").
 */
public record FileHandle(FileType type, String name) {

    public static final FileHandle CONFIG = new FileHandle(FileType.CONFIG, "config");

    public FileHandle {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        if (type == FileType.CONFIG) {
            if (!name.equals("config")) {
                throw new IllegalArgumentException("the config object is always named 'config', got: " + name);
            }
        } else if (!isHexId(name)) {
            throw new IllegalArgumentException("invalid " + type.prefix() + " object name (want 64 hex digits): " + name);
        }
    }

    /** Whether {@code name} is 64 lowercase hex digits (checked by hand: a regex per blob read showed in profiles). */
    private static boolean isHexId(String name) {
        if (name.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = name.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    public static FileHandle of(FileType type, String name) {
        return new FileHandle(type, name);
    }

    /** The object's path relative to the repository root, with '/' separators. */
    public String relativePath() {
        return switch (type) {
            case CONFIG -> "config";
            case PACK -> type.prefix() + "/" + name.substring(0, 2) + "/" + name;
            default -> type.prefix() + "/" + name;
        };
    }

    @Override
    public String toString() {
        return relativePath();
    }
}
