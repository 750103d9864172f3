package io.cairn.engine.check;

import java.util.List;

/**
 * One finding of a check.
 *
 * @param severity   {@link Severity#ERROR} for damage or missing data, {@link Severity#INFO} for what is
 *                   merely unused
 * @param kind       what was found
 * @param objectType the kind of object the finding is about
 * @param objectId   the object's full id (64 hex digits); null for {@link ObjectType#CONFIG} and
 *                   {@link ObjectType#REPOSITORY}
 * @param packId     the pack involved, for blob and pack findings; otherwise null
 * @param message    a sentence for people: what is wrong, with the ids needed to act on it
 * @param blobIds    the blobs (full hex ids) that this finding makes unreadable, empty if none
 */
public record CheckProblem(Severity severity, Kind kind, ObjectType objectType, String objectId, String packId,
                           String message, List<String> blobIds) {

    public CheckProblem {
        blobIds = blobIds == null ? List.of() : List.copyOf(blobIds);
    }

    /** How bad a finding is. */
    public enum Severity {
        /** The repository is damaged or incomplete: some data cannot be read. */
        ERROR,
        /** Not damage: space that prune reclaims, or objects that other objects replace. */
        INFO
    }

    /** What kind of object a finding is about. */
    public enum ObjectType {
        CONFIG, KEY, INDEX, PACK, SNAPSHOT, TREE_BLOB, DATA_BLOB,
        /** The repository as a whole (summaries). */
        REPOSITORY
    }

    /** What was found. */
    public enum Kind {
        /** The config object does not open or parse, or differs from the one the repository was opened with. */
        CONFIG_DAMAGED,
        /** A key file does not parse or its fields are out of range. */
        KEY_DAMAGED,
        /** An index object does not open (authenticate) or decode. */
        INDEX_DAMAGED,
        /** (info) An index object that a newer index replaces; prune removes it. */
        INDEX_SUPERSEDED,
        /** A pack that an index lists does not exist. */
        PACK_MISSING,
        /** A pack could not be read from the backend (I/O error). */
        PACK_UNREADABLE,
        /** A pack is shorter than the blobs the index lists in it need (truncated). */
        PACK_TRUNCATED,
        /** A pack's header (or the trailer giving its length) does not open or decode, or does not fit the pack's size. */
        PACK_HEADER_DAMAGED,
        /** A pack's header disagrees with the index about a blob's type, place or length. */
        PACK_HEADER_MISMATCH,
        /** (info) A pack that no index lists; prune removes it. */
        PACK_UNREFERENCED,
        /** (info) A pack's header lists blobs that no index lists. */
        PACK_UNINDEXED_BLOBS,
        /** A blob does not open (authenticate) or decode, or lies outside its pack. */
        BLOB_DAMAGED,
        /** A blob opens but its plaintext does not hash to its id. */
        BLOB_ID_MISMATCH,
        /** The index lists a blob under the other blob type than the one a tree needs. */
        BLOB_TYPE_MISMATCH,
        /** A snapshot object does not open or decode. */
        SNAPSHOT_DAMAGED,
        /** A tree that a snapshot needs is in no index. */
        TREE_MISSING,
        /** A tree does not load, decode, or lists an invalid entry. */
        TREE_DAMAGED,
        /** A data blob that a file needs is in no index. */
        DATA_BLOB_MISSING,
        /** (info) Blobs in the index that no snapshot uses; prune removes them. */
        UNUSED_BLOBS
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
