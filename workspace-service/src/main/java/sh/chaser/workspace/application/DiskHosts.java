package sh.chaser.workspace.application;

import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import sh.chaser.proto.vmagent.v1.ImportProgress;

/**
 * The vm-agents keeping disks, as the application calls them (implemented by the gRPC adapter).
 * Every call is idempotent by id; a failed one throws {@link sh.chaser.common.grpc.AgentFailure}.
 */
public interface DiskHosts {

    void create(String address, String diskId);

    void cloneDisk(String address, String sourceDiskId, String diskId);

    void delete(String address, String diskId);

    /** The disks on that host, by id, with when each was made. */
    Map<String, Instant> list(String address);

    long usedBytes(String address, String diskId);

    void snapshot(String address, String diskId, String snapshot);

    void restore(String address, String diskId, String snapshot);

    void deleteSnapshot(String address, String diskId, String snapshot);

    /** Clones the repository into the (empty) disk, handing each progress report to {@code progress}. */
    void importGit(String address, String diskId, String repository, String ref, Consumer<ImportProgress> progress);

    /** Stops a session's VM on that host (an eviction); returns once it is gone. */
    void destroyVm(String address, String sessionId);
}
