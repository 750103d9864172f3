package io.cairn.server.overview;

import io.cairn.server.job.Job;
import io.cairn.server.job.SourceJobStats;
import io.cairn.server.source.Project;
import io.cairn.server.source.Source;

/**
 * A source with how its backups are going.
 *
 * @param health GOOD (the last backup succeeded), FAILING (it failed), RUNNING, or NEVER (no backup yet)
 */
public record SourceRow(Source source, Project project, Job lastJob, SourceJobStats stats, String health) {

    static String health(Job last) {
        if (last == null) {
            return "NEVER";
        }
        return switch (last.status()) {
            case SUCCEEDED -> "GOOD";
            case RUNNING, QUEUED -> "RUNNING";
            default -> "FAILING";
        };
    }
}
