package io.cairn.server.schedule;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The db-scheduler task that fires schedules: one execution row per schedule (instance id = schedule id)
 * that always holds its next firing. After a firing the row moves to the next run, or goes away when the
 * schedule was deleted or disabled. A firing that failed (the database was unreachable) is tried again a
 * minute later; one whose server died is revived by another server (and is idempotent, see
 * {@link ScheduleFiring}).
 */
@Configuration(proxyBeanMethods = false)
class ScheduleTaskConfig {

    @Bean
    CustomTask<Void> scheduleTask(ScheduleFiring firing) {
        return Tasks.custom(ScheduleFiring.TASK_NAME, Void.class)
                .onFailureReschedule(FixedDelay.ofMinutes(1))
                .onDeadExecutionRevive()
                .execute((instance, context) -> {
                    ScheduleId id = new ScheduleId(Long.parseLong(instance.getId()));
                    firing.fire(id, context.getExecution().getExecutionTime());
                    return (CompletionHandler<Void>) (complete, operations) -> {
                        Instant next = firing.nextRun(id);
                        if (next == null) {
                            operations.remove();
                        } else {
                            operations.reschedule(complete, next);
                        }
                    };
                });
    }
}
