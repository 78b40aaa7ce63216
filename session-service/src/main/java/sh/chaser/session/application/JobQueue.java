package sh.chaser.session.application;

import java.time.Instant;
import java.util.UUID;

/** Where jobs wait for their time (implemented on db-scheduler). */
public interface JobQueue {

    /** Schedules the job's execution unless one exists already. */
    void schedule(UUID jobId, Instant at);

    /** Drops a job's waiting execution; one already running is left to see the job cancelled. */
    void unschedule(UUID jobId);
}
