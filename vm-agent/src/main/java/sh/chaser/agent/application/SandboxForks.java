package sh.chaser.agent.application;

import java.util.ArrayList;
import java.util.List;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.RuntimeHandle;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.domain.SandboxStatus;
import sh.chaser.agent.runtime.VmRuntime;

/**
 * A fork as {@link Sandboxes} runs it under the parent's lock: all children or none. Each child is
 * recorded, its handle naming its parent, under its own lock before anything of it exists, so the
 * reconcile loop ends a child a crash left booting instead of booting it afresh (its guest would
 * have its parent's identity, or it would be no fork at all).
 */
final class SandboxForks {

    /** The handle's resource naming a fork's parent. */
    static final String FORK_OF = "fork_of";
    private final Sandboxes sandboxes;

    SandboxForks(Sandboxes sandboxes) {
        this.sandboxes = sandboxes;
    }

    List<SandboxRecord> fork(SandboxRecord parent, List<SandboxSpec> children) {
        if (parent.status() != SandboxStatus.PAUSED) {
            throw AgentError.SANDBOX_NOT_RUNNING.exception("sandbox " + parent.sessionId() + " is not paused");
        }
        VmRuntime runtime = sandboxes.runtimeOf(parent);
        runtime.checkForkable(parent);
        List<SandboxRecord> made = new ArrayList<>();
        try {
            for (SandboxSpec child : children) {
                made.add(sandboxes.locked(child.sessionId(), () -> child(runtime, parent, child)));
            }
            return made;
        } catch (RuntimeException e) {
            made.forEach(child -> sandboxes.destroy(child.sessionId()));
            throw e;
        }
    }

    private SandboxRecord child(VmRuntime runtime, SandboxRecord parent, SandboxSpec child) {
        if (sandboxes.get(child.sessionId()).isPresent()) {
            throw AgentError.INVALID_REQUEST.exception("sandbox " + child.sessionId() + " exists on this host");
        }
        sandboxes.refuseWhenFull();
        SandboxRecord requested = sandboxes.save(SandboxRecord.requested(child, runtime.name())
                .withHandle(RuntimeHandle.NONE.with(FORK_OF, parent.sessionId())));
        return sandboxes.start(runtime, requested, journal -> runtime.fork(parent, requested, journal));
    }
}
