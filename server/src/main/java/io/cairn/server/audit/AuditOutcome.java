package io.cairn.server.audit;

/** Whether the audited action happened. */
public enum AuditOutcome {
    SUCCESS, FAILURE, DENIED
}
