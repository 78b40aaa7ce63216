package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.jboss.logging.Logger;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.common.persistence.Tx;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.Vm;
import sh.chaser.proto.vmagent.v1.VmState;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.domain.TerminationReason;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * Boots an announced session on its host and waits up to the boot deadline. Running: marked so.
 * Refused or failed: terminated (boot_failed) and the refusal answered. No answer in time: the
 * session stays creating and the reconcile loop finishes it from what the agent reports.
 */
@ApplicationScoped
public class BootSession {

    private static final Logger LOG = Logger.getLogger(BootSession.class);

    @Inject
    VmAgents agents;
    @Inject
    SessionStates states;
    @Inject
    Teardown teardown;
    @Inject
    PgSessionRepository sessions;

    public SessionEntity boot(SessionEntity s, Placement.Host host, Map<String, String> env) {
        BootRequest request = BootRequest.newBuilder().setSessionId(s.id.toString()).setSessionType(s.sessionType)
                .setImage(s.image == null ? "" : s.image)
                .setWorkspaceId(s.workspaceId == null ? "" : s.workspaceId.toString()).putAllEnv(env)
                .setRuntime(s.runtime == null ? "" : s.runtime).build();
        Vm vm;
        try {
            vm = agents.boot(host.address(), request);
        } catch (AgentFailure f) {
            if (f.unreachable()) {
                LOG.warnf("session %s: no boot answer from %s in time (%s); the reconcile loop finishes it",
                        s.id, host.id(), f.getMessage());
                return current(s);
            }
            fail(s, f.code() + ": " + f.getMessage());
            throw switch (f.reason()) {
                case IMAGE_NOT_FOUND -> ErrorCode.INVALID_REQUEST.exception("image not found: " + s.image, "image");
                case IMAGE_PULL_FAILED -> ErrorCode.IMAGE_PULL_FAILED.exception("image " + s.image
                        + " could not be pulled (" + f.getMessage()
                        + "); check the reference and that its registry answers");
                case HOST_FULL ->
                    ErrorCode.NO_CAPACITY.exception("the host runs its maximum of sessions; try again later");
                default -> ErrorCode.BOOT_FAILED.exception("the session's VM did not start (" + f.code() + ")");
            };
        }
        if (vm.getState() == VmState.VM_STATE_RUNNING) {
            var outcome = states.markRunning(s.id, vm.getRuntime());
            return outcome.changed() ? outcome.session() : current(s);
        }
        if (vm.getState() == VmState.VM_STATE_FAILED || vm.getState() == VmState.VM_STATE_STOPPED) {
            fail(s, vm.getExitReason());
            throw ErrorCode.BOOT_FAILED.exception("the session's VM did not start");
        }
        return current(s);
    }

    private void fail(SessionEntity s, String why) {
        LOG.warnf("session %s failed to boot: %s", s.id, why);
        var outcome = states.terminate(s.id, TerminationReason.BOOT_FAILED, null);
        if (outcome.changed()) {
            teardown.after(outcome.session());
        }
    }

    private SessionEntity current(SessionEntity s) {
        SessionEntity now = Tx.read(() -> sessions.findById(s.id));
        return now == null ? s : now;
    }
}
