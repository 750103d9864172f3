package io.cairn.server.job;

import io.cairn.engine.blob.Compression;

/**
 * What the "Start backup" dialog and {@code POST /api/v1/backup/start} ask for.
 *
 * @param type        FULL or INCREMENTAL; null: INCREMENTAL
 * @param verify      read the snapshot back in full after writing it
 * @param compression null: the source's setting
 */
public record StartRequest(BackupType type, boolean verify, Compression compression) {

    public static StartRequest incremental() {
        return new StartRequest(BackupType.INCREMENTAL, false, null);
    }
}
