package sh.chaser.agent.application;

import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.Desired;
import sh.chaser.agent.domain.SandboxStatus;
import sh.chaser.agent.runtime.VmRuntime;

/**
 * The steps of a pause and a resume as {@link Sandboxes} runs them under a sandbox's lock, each
 * recorded through {@code save} (the journal) before the next: a pause that fails leaves the
 * sandbox wanted running, a resume that fails leaves it paused with its saved state untouched, and
 * a crash in either is finished by the reconcile loop.
 */
final class PauseSteps {

    private static final Logger LOG = Logger.getLogger(PauseSteps.class);
    private final UnaryOperator<SandboxRecord> save;

    PauseSteps(UnaryOperator<SandboxRecord> save) {
        this.save = save;
    }

    /** A pause asked for: a paused sandbox as it is, a running one paused, anything else refused. */
    SandboxRecord pauseAsked(SandboxRecord record, Function<String, VmRuntime> runtimes) {
        if (record.status() == SandboxStatus.PAUSED) {
            return record;
        }
        if (record.status() != SandboxStatus.RUNNING) {
            throw AgentError.SANDBOX_NOT_RUNNING.exception("sandbox " + record.sessionId() + " is not running");
        }
        return pause(runtimes.apply(record.runtime()), save.apply(record.wanting(Desired.PAUSED)));
    }

    /** A resume asked for: a running sandbox as it is, a paused one resumed unless the host is full. */
    SandboxRecord resumeAsked(SandboxRecord record, Function<String, VmRuntime> runtimes, boolean full, int max) {
        if (record.status() == SandboxStatus.RUNNING && record.desired() == Desired.RUNNING) {
            return record;
        }
        if (record.status() != SandboxStatus.PAUSED) {
            throw AgentError.SANDBOX_NOT_RUNNING.exception("sandbox " + record.sessionId() + " is not paused");
        }
        if (full) {
            throw AgentError.HOST_FULL.exception("this host runs its maximum of " + max + " sandboxes");
        }
        return resume(runtimes.apply(record.runtime()), save.apply(record.wanting(Desired.RUNNING)));
    }

    SandboxRecord pause(VmRuntime runtime, SandboxRecord record) {
        long started = System.nanoTime();
        try {
            SandboxRecord paused = save.apply(record.paused(runtime.pause(record)));
            LOG.infof("sandbox %s paused in %d ms", record.sessionId(), (System.nanoTime() - started) / 1_000_000);
            return paused;
        } catch (RuntimeException e) {
            save.apply(record.wanting(Desired.RUNNING)); // it runs on
            throw e;
        }
    }

    SandboxRecord resume(VmRuntime runtime, SandboxRecord record) {
        long started = System.nanoTime();
        SandboxRecord[] current = { record };
        try {
            var handle = runtime.resume(record, next -> current[0] = save.apply(current[0].withHandle(next)));
            SandboxRecord running = save.apply(current[0].running(handle, current[0].startedAt()));
            LOG.infof("sandbox %s resumed (pid %d) in %d ms", record.sessionId(), handle.pid(),
                    (System.nanoTime() - started) / 1_000_000);
            return running;
        } catch (RuntimeException e) {
            // still paused: what the attempt started is stopped by the next one, the saved state is untouched
            save.apply(current[0].wanting(Desired.PAUSED));
            throw e;
        }
    }

    /** A pause a crash cut off, finished (sealed, or the VM there to pause); null when the VM is gone. */
    SandboxRecord interruptedPause(VmRuntime runtime, SandboxRecord record) {
        if (!runtime.paused(record) && !runtime.alive(record)) {
            return null;
        }
        try {
            return pause(runtime, record);
        } catch (RuntimeException e) {
            LOG.warnf("sandbox %s: its interrupted pause did not finish (%s); it runs on", record.sessionId(),
                    e.getMessage());
            return record.wanting(Desired.RUNNING);
        }
    }

    /** A resume a crash cut off, done again; the sandbox stays paused when it fails. */
    SandboxRecord interruptedResume(VmRuntime runtime, SandboxRecord record) {
        try {
            return resume(runtime, record);
        } catch (RuntimeException e) {
            LOG.warnf("sandbox %s: its interrupted resume did not finish (%s); it stays paused", record.sessionId(),
                    e.getMessage());
            return record.wanting(Desired.PAUSED);
        }
    }
}
