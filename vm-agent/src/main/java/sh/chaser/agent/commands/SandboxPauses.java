package sh.chaser.agent.commands;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.domain.SandboxRecord;

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

    public SandboxRecord resume(String sessionId) {
        return commands.exclusively(sessionId, () -> {
            SandboxRecord running = sandboxes.resume(sessionId);
            commands.resume(sessionId);
            return running;
        });
    }
}
