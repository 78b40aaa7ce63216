package sh.chaser.workspace.application;

import org.jboss.logging.Logger;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.workspace.domain.ErrorCode;

/** What a caller is told when a vm-agent refuses disk work; the agent's own text stays in the log. */
final class AgentErrors {

    private static final Logger LOG = Logger.getLogger(AgentErrors.class);

    private AgentErrors() {}

    static ServiceException toService(AgentFailure f, String what) {
        if (f.unreachable()) {
            return ErrorCode.HOST_UNAVAILABLE.exception("the host keeping the disk did not answer; try again shortly");
        }
        return switch (f.reason()) {
            case DISK_IN_USE -> ErrorCode.WORKSPACE_IN_USE.exception("a session still has the disk attached");
            case SNAPSHOT_NOT_FOUND -> ErrorCode.SNAPSHOT_NOT_FOUND.exception("the snapshot is gone from its host");
            case DISK_NOT_FOUND ->
                ErrorCode.WORKSPACE_NOT_FOUND.exception("the workspace's disk is gone from its host");
            default -> {
                LOG.errorf("%s failed on the vm-agent: %s (%s)", what, f.getMessage(), f.code());
                yield ErrorCode.INTERNAL.exception(what + " failed");
            }
        };
    }
}
