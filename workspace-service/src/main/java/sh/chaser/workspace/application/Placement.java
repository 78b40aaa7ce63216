package sh.chaser.workspace.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import sh.chaser.workspace.config.WorkspaceConfig;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.grpc.HostDirectory;

/** Where a new disk goes: the live host with the most free disk space, if it has room. */
@ApplicationScoped
public class Placement {

    @Inject
    HostDirectory hosts;
    @Inject
    WorkspaceConfig config;

    public HostDirectory.Host forNewDisk() {
        return hosts.live().stream()
                .filter(h -> h.diskFreeBytes() >= config.placement().minFreeBytes())
                .max(Comparator.comparingLong(HostDirectory.Host::diskFreeBytes))
                .orElseThrow(() -> ErrorCode.NO_CAPACITY.exception("no host has room for a new workspace disk"));
    }
}
