package sh.chaser.workspace.application;

import sh.chaser.common.api.ServiceException;
import sh.chaser.contracts.Runtimes;
import sh.chaser.workspace.domain.ErrorCode;

/** The {@code runtime} a new workspace's sessions will use: a known name, or none (any host). */
final class WorkspaceRuntimes {

    private WorkspaceRuntimes() {}

    static String valid(String runtime) {
        if (runtime != null && !Runtimes.NAMES.contains(runtime)) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST,
                    "runtime must be one of " + Runtimes.NAMES.stream().sorted()
                            .toList() + " (the disk goes on a host that runs it)",
                    "runtime");
        }
        return runtime;
    }
}
