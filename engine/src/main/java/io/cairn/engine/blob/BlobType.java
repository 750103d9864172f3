package io.cairn.engine.blob;

/** What a blob holds: file content ({@code DATA}) or a directory listing ({@code TREE}). */
public enum BlobType {
    DATA(0, "data"),
    TREE(1, "tree");

    private final int code;
    private final String label;

    BlobType(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The byte written in pack headers and indexes. */
    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    public static BlobType fromCode(int code) {
        return switch (code) {
            case 0 -> DATA;
            case 1 -> TREE;
            default -> throw new IllegalArgumentException("unknown blob type code " + code);
        };
    }
}
