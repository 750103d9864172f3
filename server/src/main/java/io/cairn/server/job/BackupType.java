package io.cairn.server.job;

/** How a backup reads its source. Both write a complete snapshot. */
public enum BackupType {
    /** Re-read every file, trusting nothing from the parent snapshot. */
    FULL,
    /** Skip files whose size, times and inode are unchanged since the parent snapshot. */
    INCREMENTAL
}
