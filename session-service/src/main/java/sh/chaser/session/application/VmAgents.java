package sh.chaser.session.application;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.ExecRequest;
import sh.chaser.proto.vmagent.v1.ExecResponse;
import sh.chaser.proto.vmagent.v1.Vm;

/**
 * The vm-agents as the application calls them (implemented by the gRPC adapter). A failed call
 * throws {@link sh.chaser.common.grpc.AgentFailure}.
 */
public interface VmAgents {

    Vm boot(String address, BootRequest request);

    /** Returns once the VM is gone; false when the host did not know it. */
    boolean destroy(String address, String sessionId);

    /** The VM as the host runs it; empty when the host does not know it. */
    Optional<Vm> get(String address, String sessionId, Duration deadline);

    List<Vm> list(String address);

    /** Pauses the running VM (its memory and devices saved on its host); idempotent. */
    Vm pause(String address, String sessionId);

    /** New VMs from the VM's memory and disk, one per child id (ephemeral); all or none. */
    List<Vm> fork(String address, String sessionId, List<String> childIds);

    /** Runs the paused VM again where it stopped; idempotent. */
    Vm resume(String address, String sessionId);

    /** A block of a paused VM's saved state, read for its move to another host. */
    sh.chaser.proto.vmagent.v1.PausedBlock readPaused(String address,
            sh.chaser.proto.vmagent.v1.ReadPausedRequest request);

    /** One step of a paused VM's import from another host (begin, a block, commit). */
    Vm importPaused(String address, sh.chaser.proto.vmagent.v1.ImportPausedRequest request);

    ExecResponse exec(String address, ExecRequest request, Duration deadline);

    /** DevTools calls in a browser sandbox, made by its agent (jobs: browser.scrape, browser.action). */
    sh.chaser.proto.vmagent.v1.BrowserCallsResponse browserCalls(String address,
            sh.chaser.proto.vmagent.v1.BrowserCallsRequest request, Duration deadline);
}
