package io.cairn.server.audit;

import java.time.Instant;

/**
 * One audit entry.
 *
 * @param actor    the username, or {@code anonymous} / {@code system}
 * @param action   the action's code (see {@link AuditAction})
 * @param target   what it was done to ("user bob", "token 12"), or null
 * @param details  a short human sentence without secrets, or null
 * @param clientIp the client's address as the server saw it, or null for system actions
 */
public record AuditEvent(long id, Instant at, String actor, String action, String target, AuditOutcome outcome,
                         String details, String clientIp) {
}
