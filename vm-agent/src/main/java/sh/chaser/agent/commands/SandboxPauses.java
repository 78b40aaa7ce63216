package sh.chaser.agent.commands;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.domain.SandboxStatus;

/**
 * Pause and resume of a sandbox with what runs in it: the copying of its background commands'
 * output stops before the VM does (no call into a stopped guest counts as its end) and carries on
 * from where it stopped once the VM runs again, so a stream read by offset loses and repeats nothing.
 */
@ApplicationScoped
public class SandboxPauses {

    @Inject
    Sandboxes sandboxes;
    @Inject
    BackgroundCommands commands;
    private final java.util.Set<String> forking = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public SandboxRecord pause(String sessionId) {
        return commands.exclusively(sessionId, () -> {
            commands.suspend(sessionId);
            try {
                return sandboxes.pause(sessionId);
            } catch (RuntimeException e) {
                commands.resume(sessionId); // it runs on
                throw e;
            }
        });
    }

    /**
     * Children started from the sandbox's memory and disk: a running sandbox is paused for the copy
     * and runs on after it, whatever became of the fork.
     */
    public java.util.List<SandboxRecord> fork(String sessionId, java.util.List<SandboxSpec> children) {
        return commands.exclusively(sessionId, () -> {
            SandboxRecord parent = sandboxes.get(sessionId).orElseThrow(
                    () -> AgentError.SANDBOX_NOT_FOUND.exception("no sandbox " + sessionId + " on this host"));
            boolean running = parent.status() == SandboxStatus.RUNNING;
            if (running) {
                forking.add(sessionId);
                commands.suspend(sessionId);
                try {
                    sandboxes.pause(sessionId);
                } catch (RuntimeException e) {
                    commands.resume(sessionId);
                    forking.remove(sessionId);
                    throw e;
                }
            }
            try {
                return sandboxes.fork(sessionId, children);
            } finally {
                if (running) {
                    try {
                        sandboxes.resume(sessionId);
                        commands.resume(sessionId);
                    } finally {
                        forking.remove(sessionId);
                    }
                }
            }
        });
    }

    /**
     * Whether the sandbox is paused only for a fork and runs on right after: the control plane sees it
     * running (a reconcile pass must not take that pause for the user's).
     */
    public boolean forking(String sessionId) {
        return forking.contains(sessionId);
    }

    public SandboxRecord resume(String sessionId) {
        return commands.exclusively(sessionId, () -> {
            SandboxRecord running = sandboxes.resume(sessionId);
            commands.resume(sessionId);
            return running;
        });
    }
}
