package io.cairn.server.schedule;

/** What a firing does when it runs long after its time because every server was down. */
public enum MissedRunPolicy {
    /** Queue one backup now, however many firings were missed. */
    RUN_ONCE,
    /** Queue nothing; the schedule waits for its next time. */
    SKIP
}
