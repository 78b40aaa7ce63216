package sh.chaser.session.application;

import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.session.domain.ErrorCode;

/** A host's refusal of a pause, resume or fork, in the API's words. */
final class HostRefusals {

    private HostRefusals() {}

    /** @param unsupported what the caller is told when the session's runtime cannot do it */
    static RuntimeException of(AgentFailure f, String unsupported) {
        if (f.unreachable()) {
            return ErrorCode.HOST_UNAVAILABLE.exception("the session's host did not answer; retry shortly");
        }
        return switch (f.reason()) {
            case UNSUPPORTED_RUNTIME -> ErrorCode.UNSUPPORTED_FOR_RUNTIME.exception(unsupported);
            case PAUSE_FAILED -> ErrorCode.PAUSE_FAILED.exception(f.getMessage());
            case SNAPSHOT_CORRUPT -> ErrorCode.SNAPSHOT_CORRUPT.exception(f.getMessage());
            case SANDBOX_NOT_RUNNING, SANDBOX_NOT_FOUND -> ErrorCode.SESSION_NOT_RUNNING
                    .exception("the session's VM is not running on its host");
            case HOST_FULL -> ErrorCode.NO_CAPACITY.exception("the session's host is full; retry later");
            case BOOT_FAILED -> ErrorCode.BOOT_FAILED.exception(f.getMessage());
            default -> ErrorCode.INTERNAL.exception("the host failed: " + f.getMessage());
        };
    }
}
