/**
 * Schedules: backups of a source or a project that run on their own (docs/adr/0011-scheduler.md).
 * <ul>
 *   <li><b>Schedule</b>: a cron expression in a time zone, what to back up (one source or a project), the
 *       backup type and compression, the missed-run policy, optional jitter, and a retention policy applied
 *       after each backup it queued.</li>
 *   <li><b>Firing</b>: one scheduled instant of a schedule. db-scheduler runs it on exactly one server; it
 *       queues backup jobs with {@code TriggerKind.SCHEDULE}. A firing for an instant already fired
 *       queues nothing (idempotent), and a source that already has a waiting job gets no second one.</li>
 *   <li><b>Missed run</b>: a firing that runs more than the grace period after its instant (every server
 *       was down): RUN_ONCE queues one backup now, SKIP queues none.</li>
 *   <li><b>Retention</b>: keep last / hourly / daily / weekly / monthly / yearly / within, or "retention
 *       days"; decided by the engine's {@code RetentionPlanner} (restic's semantics).</li>
 * </ul>
 * {@link io.cairn.server.schedule.ScheduleService} is the feature's API; the pages and the JSON API call
 * it. {@link io.cairn.server.schedule.CronSchedule} is the pure next-run computation: no clock inside.
 */
package io.cairn.server.schedule;
