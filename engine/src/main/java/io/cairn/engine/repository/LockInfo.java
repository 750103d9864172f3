package io.cairn.engine.repository;

/**
 * The content of a {@code locks/<id>} object (sealed JSON).
 *
 * @param exclusive whether the holder excludes every other lock (prune, key changes) or only exclusive ones (backup)
 * @param time      when the lock was written or last refreshed (ISO-8601)
 * @param hostname  the holder's host
 * @param pid       the holder's process id
 * @param username  the holder's user
 * @param operation what the holder is doing ("backup", "prune"...)
 */
public record LockInfo(boolean exclusive, String time, String hostname, long pid, String username, String operation) {
}
