package io.cairn.engine.tree;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Kinds of directory entries a snapshot records. Special files are skipped with a warning. */
public enum NodeType {
    FILE, DIR, SYMLINK;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static NodeType parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
