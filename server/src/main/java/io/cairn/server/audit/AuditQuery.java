package io.cairn.server.audit;

import java.time.Instant;

/**
 * A search of the audit log; every part is optional.
 *
 * @param actor   exact username (case-insensitive)
 * @param action  action code, or a prefix ending in '.' ("user." for every user action)
 * @param outcome only this outcome
 * @param text    words found in target or details
 * @param from    at or after
 * @param to      before
 */
public record AuditQuery(String actor, String action, AuditOutcome outcome, String text, Instant from, Instant to) {
    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null);
    }
}
