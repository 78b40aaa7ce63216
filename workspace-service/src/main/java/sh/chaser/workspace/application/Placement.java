package sh.chaser.workspace.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import sh.chaser.common.api.ServiceException;
import sh.chaser.workspace.config.WorkspaceConfig;
import sh.chaser.workspace.domain.ErrorCode;

/**
 * Where a new disk goes: the live host with the most free disk space, if it has room; when the
 * workspace's sessions are to use one runtime, among the hosts that run it (a session on a
 * workspace runs where its disk is).
 */
@ApplicationScoped
public class Placement {

    @Inject
    HostDirectory hosts;
    @Inject
    WorkspaceConfig config;

    public HostDirectory.Host forNewDisk() {
        return forNewDisk(null);
    }

    /** @param runtime the runtime the workspace's sessions will use, or null for any */
    public HostDirectory.Host forNewDisk(String runtime) {
        List<HostDirectory.Host> candidates = hosts.live().stream()
                .filter(h -> runtime == null || h.runtimes().contains(runtime)).toList();
        if (runtime != null && candidates.isEmpty()) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "no host runs runtime " + runtime
                    + " (the installation's hosts offer " + hosts.live().stream().flatMap(h -> h.runtimes().stream())
                            .distinct().sorted().toList()
                    + ")", "runtime");
        }
        return candidates.stream()
                .filter(h -> h.diskFreeBytes() >= config.placement().minFreeBytes())
                .max(Comparator.comparingLong(HostDirectory.Host::diskFreeBytes))
                .orElseThrow(() -> ErrorCode.NO_CAPACITY.exception("no host has room for a new workspace disk"));
    }
}
