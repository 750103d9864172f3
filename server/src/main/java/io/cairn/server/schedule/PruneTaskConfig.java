package io.cairn.server.schedule;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The db-scheduler task that starts scheduled prunes: one recurring execution for the whole cluster that,
 * every minute, runs the prunes that are due ({@link RepositoryPruning#runDue}). db-scheduler runs it on one
 * server at a time, so a due prune runs once.
 */
@Configuration(proxyBeanMethods = false)
class PruneTaskConfig {

    static final String TASK_NAME = "cairn-prune";

    @Bean
    RecurringTask<Void> pruneTask(RepositoryPruning pruning, Clock clock) {
        return Tasks.recurring(TASK_NAME, FixedDelay.ofMinutes(1))
                .execute((instance, context) -> pruning.runDue(clock.instant()));
    }
}
