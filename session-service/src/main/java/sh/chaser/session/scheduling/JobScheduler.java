package sh.chaser.session.scheduling;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import sh.chaser.common.persistence.MigrateOnStart;
import sh.chaser.common.persistence.Tx;
import sh.chaser.session.application.JobExecution;
import sh.chaser.session.application.JobQueue;
import sh.chaser.session.config.SessionConfig;
import sh.chaser.session.persistence.PgJobRepository;

/**
 * Jobs on db-scheduler: one one-time task {@code job} per job id. PostgreSQL's row locking gives each
 * due execution to one replica; a replica that stops heartbeating has its executions revived by
 * another (the next attempt, see JobExecution). A sweep schedules jobs whose execution was never
 * written (a crash between the job's commit and its scheduling).
 */
@ApplicationScoped
public class JobScheduler implements JobQueue {

    static final String TASK = "job";
    private static final Logger LOG = Logger.getLogger(JobScheduler.class);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    SessionConfig config;
    @Inject
    JobExecution execution;
    @Inject
    PgJobRepository jobs;

    private CustomTask<Void> task;
    private Scheduler scheduler;

    void start(@Observes @Priority(MigrateOnStart.PRIORITY + 10) StartupEvent event) {
        task = Tasks.custom(TASK, Void.class).onDeadExecutionRevive()
                .onFailure((complete, ops) -> ops.reschedule(complete, Instant.now().plusSeconds(30)))
                .execute((instance, context) -> {
                    var next = execution.run(UUID.fromString(instance.getId()));
                    return next.<CompletionHandler<Void>>map(at -> (complete, ops) -> ops.reschedule(complete, at))
                            .orElse((complete, ops) -> ops.remove());
                });
        RecurringTask<Void> sweep = Tasks.recurring("job-sweep", FixedDelay.ofSeconds(15))
                .execute((instance, context) -> sweep());
        var jobsConfig = config.jobs();
        scheduler = Scheduler.create(dataSource, task).startTasks(sweep).threads(jobsConfig.threads())
                .pollingInterval(jobsConfig.polling()).heartbeatInterval(jobsConfig.heartbeat())
                .schedulerName(new SchedulerName.Fixed(ManagementFactory.getRuntimeMXBean().getName()))
                .enableImmediateExecution()
                // a stopping replica does not wait for long jobs: their heartbeats stop, another replica revives them
                .shutdownMaxWait(java.time.Duration.ofSeconds(5)).build();
        scheduler.start();
        LOG.infof("Jobs: %d at a time here, heartbeat %s", jobsConfig.threads(), jobsConfig.heartbeat());
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.stop();
        }
    }

    @Override
    public void schedule(UUID jobId, Instant at) {
        scheduler.scheduleIfNotExists(task.instance(jobId.toString()), at);
    }

    @Override
    public void unschedule(UUID jobId) {
        try {
            scheduler.cancel(TaskInstanceId.of(TASK, jobId.toString()));
        } catch (RuntimeException e) {
            // already running or gone: the execution finds the job cancelled and ends
        }
    }

    private void sweep() {
        for (Object[] row : Tx.read(jobs::unscheduled)) {
            Instant runAt = Instant.parse((String) row[1]);
            if (scheduler.scheduleIfNotExists(task.instance((String) row[0]), runAt)) {
                LOG.infof("job %s had no scheduled execution; scheduled it", row[0]);
            }
        }
    }
}
