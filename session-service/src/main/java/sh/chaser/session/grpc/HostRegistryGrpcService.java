package sh.chaser.session.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import sh.chaser.common.api.GrpcRefusals;
import sh.chaser.common.grpc.AgentChannels;
import sh.chaser.common.grpc.CallerGuard;
import sh.chaser.common.messaging.RefusalRecorder;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.proto.session.v1.ExecRecord;
import sh.chaser.proto.session.v1.HeartbeatRequest;
import sh.chaser.proto.session.v1.HeartbeatResponse;
import sh.chaser.proto.session.v1.HostCapacity;
import sh.chaser.proto.session.v1.HostInfo;
import sh.chaser.proto.session.v1.HostRegistry;
import sh.chaser.proto.session.v1.ListHostsRequest;
import sh.chaser.proto.session.v1.ListHostsResponse;
import sh.chaser.proto.session.v1.RecordExecsRequest;
import sh.chaser.proto.session.v1.RecordExecsResponse;
import sh.chaser.proto.session.v1.RegisterHostRequest;
import sh.chaser.proto.session.v1.RegisterHostResponse;
import sh.chaser.session.application.HostCredentials;
import sh.chaser.session.application.HostExecRecords;
import sh.chaser.session.application.RegisteredHosts;
import sh.chaser.session.config.SessionConfig;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.domain.HostExec;
import sh.chaser.session.persistence.HostEntity;

@GrpcService
public class HostRegistryGrpcService implements HostRegistry {

    @Inject
    RegisteredHosts registry;
    @Inject
    SessionConfig config;
    @Inject
    HostCredentials credentials;
    @Inject
    RefusalRecorder refusals;
    @Inject
    HostExecRecords execRecords;
    @Inject
    AgentChannels channels;

    @Override
    public Uni<RegisterHostResponse> registerHost(RegisterHostRequest request) {
        if (request.getHostId().isBlank() || request.getGrpcAddress().isBlank() || request.getRuntimesCount() == 0) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT
                    .withDescription("host_id, grpc_address and at least one runtime are required")
                    .asRuntimeException());
        }
        // an agent's certificate names its host: it registers that id and no other
        var certified = CallerGuard.identity().flatMap(InternalCallers::hostId);
        if (certified.isPresent() && !certified.get().equals(request.getHostId())) {
            return Uni.createFrom().failure(GrpcRefusals.of(ErrorCode.FORBIDDEN.exception("this certificate is host "
                    + certified.get() + "'s; it registers no other host id"), ErrorCode.INTERNAL));
        }
        return registry.register(request.getHostId(), request.getGrpcAddress(), request.getRuntimesList(),
                request.getAgentVersion(), capacity(request.getCapacity()), request.getJoinToken(),
                request.getHostCredential())
                .invoke(registered -> channels.preconnect(registered.host().grpcAddress))
                .map(registered -> RegisterHostResponse.newBuilder()
                        .setHeartbeatIntervalSeconds(config.hosts().heartbeatIntervalSeconds())
                        .setHostCredential(registered.issuedCredential() == null ? "" : registered.issuedCredential())
                        .build())
                .onFailure().transform(e -> GrpcRefusals.of(e, ErrorCode.INTERNAL));
    }

    @Override
    public Uni<HeartbeatResponse> heartbeat(HeartbeatRequest request) {
        var certified = CallerGuard.identity().flatMap(InternalCallers::hostId);
        if (certified.isPresent() && !certified.get().equals(request.getHostId())) {
            return Uni.createFrom().failure(GrpcRefusals.of(ErrorCode.FORBIDDEN.exception("this certificate is host "
                    + certified.get() + "'s; it heartbeats for no other host"), ErrorCode.INTERNAL));
        }
        return registry.heartbeat(request.getHostId(), capacity(request.getCapacity()), request.getHostCredential())
                .invoke(host -> {
                    // the agent's refusals, from the host this certificate and credential prove
                    if (host != null) {
                        channels.preconnect(host.grpcAddress);
                        request.getRefusedCallsList().forEach(r -> refusals.refused(null, "service", r.getCaller(),
                                r.getMethod(), "vm-agent/" + request.getHostId() + " " + r.getPath(), r.getCode(),
                                null));
                    }
                })
                .map(host -> HeartbeatResponse.newBuilder().setKnown(host != null).build())
                .onFailure().transform(e -> GrpcRefusals.of(e, ErrorCode.INTERNAL));
    }

    @Override
    public Uni<RecordExecsResponse> recordExecs(RecordExecsRequest request) {
        var certified = CallerGuard.identity().flatMap(InternalCallers::hostId);
        if (certified.isPresent() && !certified.get().equals(request.getHostId())) {
            return Uni.createFrom().failure(GrpcRefusals.of(ErrorCode.FORBIDDEN.exception("this certificate is host "
                    + certified.get() + "'s; it records no other host's execs"), ErrorCode.INTERNAL));
        }
        return execRecords.record(request.getHostId(), request.getHostCredential(),
                request.getExecsList().stream().map(HostRegistryGrpcService::exec).toList())
                .map(o -> RecordExecsResponse.newBuilder().setRecorded(o.recorded()).setDropped(o.dropped()).build())
                .onFailure().transform(e -> GrpcRefusals.of(e, ErrorCode.INTERNAL));
    }

    private static HostExec exec(ExecRecord r) {
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(r.getOccurredAt());
        } catch (RuntimeException e) {
            at = OffsetDateTime.now(ZoneOffset.UTC);
        }
        return new HostExec(r.getId(), r.getSessionId(), r.getActor(), r.getRequestId(), at, r.getBackground(),
                r.getCommandId(), r.getExitCode(), r.getTimedOut(), r.getDurationMs());
    }

    @Override
    public Uni<ListHostsResponse> listHosts(ListHostsRequest request) {
        if (!credentials.joinTokenValid(request.getJoinToken())) {
            return Uni.createFrom().failure(GrpcRefusals.of(ErrorCode.UNAUTHORIZED.exception(
                    "listing hosts needs the installation's join token"), ErrorCode.INTERNAL));
        }
        return registry.live(config.hosts().lostAfterSeconds()).map(hosts -> ListHostsResponse.newBuilder()
                .addAllHosts(hosts.stream().map(HostRegistryGrpcService::info).toList()).build());
    }

    private static HostInfo info(HostEntity h) {
        return HostInfo.newBuilder().setHostId(h.id).setGrpcAddress(h.grpcAddress)
                .addAllRuntimes(java.util.List.of(h.runtimes))
                .setCapacity(HostCapacity.newBuilder().setCpus(h.cpus).setMemoryBytes(h.memoryBytes)
                        .setDiskFreeBytes(h.diskFreeBytes).setSandboxesRunning(h.sandboxesRunning)
                        .setSandboxesMax(h.sandboxesMax))
                .setLastHeartbeatAt(h.lastHeartbeatAt.toInstant().toString()).build();
    }

    private static RegisteredHosts.Capacity capacity(HostCapacity c) {
        return new RegisteredHosts.Capacity(c.getCpus(), c.getMemoryBytes(),
                c.getDiskFreeBytes(), c.getSandboxesRunning(), c.getSandboxesMax());
    }
}
