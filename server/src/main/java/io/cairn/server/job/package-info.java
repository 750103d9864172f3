/**
 * Backup jobs: the queue, the runner, live progress, logs and telemetry.
 * <ul>
 *   <li><b>Job</b>: one backup of one source into its repository. QUEUED → RUNNING → SUCCEEDED, FAILED or
 *       CANCELLED. "Full" re-reads everything; "incremental" trusts the parent snapshot's metadata; both
 *       write a complete snapshot, tagged {@code source-<id>} and {@code job-<id>}.</li>
 *   <li><b>Queue</b>: at most {@code cairn.jobs.concurrency} jobs run at once per server, never two on one
 *       source on any server. Any server sharing the database may claim a queued job; the job records it
 *       ({@code runner_node}).</li>
 *   <li><b>Orphan</b>: a RUNNING job whose server stopped (docs/adr/0013): settled by a server that is up,
 *       SUCCEEDED if its snapshot (tag {@code job-<id>}) exists, else FAILED and queued once more as a
 *       <b>retry</b> ({@code retry_of}).</li>
 *   <li><b>Progress</b>: what a running job is doing, pushed to browsers as server-sent events and kept
 *       in the job's row every few seconds.</li>
 *   <li><b>Telemetry</b>: samples every few seconds while a job runs (bytes, speed, percent, phase); when
 *       it ends they are rolled up into the job (peak, average and minimum speed, duration, chart points)
 *       and deleted.</li>
 *   <li><b>Log</b>: the job's own lines and the dump tool's output, with secrets masked.</li>
 * </ul>
 * {@link io.cairn.server.job.JobService} is the feature's API.
 */
package io.cairn.server.job;
