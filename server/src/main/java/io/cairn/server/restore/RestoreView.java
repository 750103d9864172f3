package io.cairn.server.restore;

import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A restore operation as the API shows it.
 *
 * @param operationId the operation's id
 * @param progress    where it is: step (words), stepNumber of stepCount, bytes current of total, percent (-1
 *                    when unknown)
 * @param withRoles   whether roles and permissions were restored too (PostgreSQL, MySQL/MariaDB)
 * @param result      when it succeeded: databases, tables, rows (database targets) or files, folders
 *                    (folder targets), bytes, warnings (roles created, accounts left as they were...), and for
 *                    databases each one's tables with rows
 */
public record RestoreView(long operationId, long backupId, long sourceId, String status, String targetKind,
                          String target, boolean overwrites, boolean withRoles, String requestedBy, Instant queuedAt,
                          Instant startedAt, Instant finishedAt, Progress progress, JsonNode result, String error) {

    public record Progress(long current, Long total, String step, int stepNumber, int stepCount, double percent) {
    }

    static RestoreView of(Restore r, JsonMapper json) {
        boolean withRoles = r.request() != null && json.readTree(r.request()).path("withRoles").asBoolean(false);
        return new RestoreView(r.id().value(), r.backupId().value(), r.sourceId().value(), r.status().name(),
                r.targetKind().name(), r.target(), r.overwrites(), withRoles, r.requestedBy(), r.queuedAt(), r.startedAt(),
                r.finishedAt(), new Progress(r.progressCurrent(), r.progressTotal(), r.step(), r.stepNumber(),
                r.stepCount(), r.percent()), r.result() == null ? null : json.readTree(r.result()), r.error());
    }
}
