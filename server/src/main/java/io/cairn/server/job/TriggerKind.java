package io.cairn.server.job;

/** Who or what asked for a job. */
public enum TriggerKind {
    MANUAL, API, CLI, SCHEDULE
}
