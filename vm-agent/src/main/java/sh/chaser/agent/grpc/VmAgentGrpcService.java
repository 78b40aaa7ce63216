package sh.chaser.agent.grpc;

import com.google.protobuf.ByteString;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import sh.chaser.agent.application.ForegroundExec;
import sh.chaser.agent.application.HostIdentity;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.DestroyRequest;
import sh.chaser.proto.vmagent.v1.DestroyResponse;
import sh.chaser.proto.vmagent.v1.ExecRequest;
import sh.chaser.proto.vmagent.v1.ExecResponse;
import sh.chaser.proto.vmagent.v1.GetVmRequest;
import sh.chaser.proto.vmagent.v1.ListVmsRequest;
import sh.chaser.proto.vmagent.v1.ListVmsResponse;
import sh.chaser.proto.vmagent.v1.Vm;
import sh.chaser.proto.vmagent.v1.VmAgent;

/** The agent's gRPC API: translation between the contract and {@link Sandboxes}, nothing more. */
@GrpcService
@Blocking
public class VmAgentGrpcService implements VmAgent {

    @Inject
    Sandboxes sandboxes;
    @Inject
    HostIdentity identity;
    @Inject
    ForegroundExec exec;
    @Inject
    sh.chaser.agent.browser.BrowserCalls browserCalls;
    @Inject
    sh.chaser.agent.commands.BackgroundCommands commands;
    @Inject
    sh.chaser.agent.application.SandboxActivity activity;
    @Inject
    sh.chaser.agent.commands.SandboxPauses pauses;
    @Inject
    sh.chaser.agent.commands.SandboxMoves moves;

    private static final int MAX_OUTPUT = 1 << 20;
    private static final long DEFAULT_TIMEOUT_MS = 60_000;

    @Override
    public Uni<Vm> boot(BootRequest request) {
        return GrpcErrors.call(() -> {
            return VmMapper.toVm(sandboxes.boot(MoveMapper.spec(request), request.getRuntime()), identity.hostId());
        });
    }

    @Override
    public Uni<DestroyResponse> destroy(DestroyRequest request) {
        return GrpcErrors.call(() -> DestroyResponse.newBuilder()
                .setExisted(sandboxes.destroy(SandboxSpec.requireUuid(request.getSessionId())))
                .build());
    }

    @Override
    public Uni<Vm> pause(sh.chaser.proto.vmagent.v1.PauseRequest request) {
        return GrpcErrors.call(() -> VmMapper.toVm(pauses.pause(SandboxSpec.requireUuid(request.getSessionId())),
                identity.hostId()));
    }

    @Override
    public Uni<Vm> resume(sh.chaser.proto.vmagent.v1.ResumeRequest request) {
        return GrpcErrors.call(() -> {
            var resumed = pauses.resume(SandboxSpec.requireUuid(request.getSessionId()));
            activity.touch(request.getSessionId()); // a resume is a use: its idle clock starts again
            return VmMapper.toVm(resumed, identity.hostId());
        });
    }

    @Override
    public Uni<sh.chaser.proto.vmagent.v1.ForkResponse> fork(sh.chaser.proto.vmagent.v1.ForkRequest request) {
        return GrpcErrors.call(() -> {
            String parentId = SandboxSpec.requireUuid(request.getSessionId());
            var parent = sandboxes.get(parentId).orElseThrow(
                    () -> AgentError.SANDBOX_NOT_FOUND.exception("no sandbox " + parentId + " on this host"));
            var children = request.getChildrenList().stream().map(child -> parent.spec().forkedAs(
                    SandboxSpec.requireUuid(child.getSessionId()), child.getWorkspaceId())).toList();
            if (children.isEmpty() || children.stream().map(SandboxSpec::sessionId).distinct().count() != children
                    .size()) {
                throw AgentError.INVALID_REQUEST.exception("a fork names one or more children, each once");
            }
            var response = sh.chaser.proto.vmagent.v1.ForkResponse.newBuilder();
            pauses.fork(parentId, children).forEach(child -> response.addVms(VmMapper.toVm(child, identity.hostId())));
            return response.build();
        });
    }

    @Override
    public Uni<sh.chaser.proto.vmagent.v1.PausedBlock> readPaused(
            sh.chaser.proto.vmagent.v1.ReadPausedRequest request) {
        return GrpcErrors.call(() -> {
            String sessionId = SandboxSpec.requireUuid(request.getSessionId());
            var file = MoveMapper.file(request.getFile());
            var block = MoveMapper.toProto(moves.read(sessionId, file, request.getName(), request.getOffset()));
            if (file == sh.chaser.agent.domain.SavedFile.STATE && request.getOffset() == 0) {
                block = block.toBuilder().setSandbox(MoveMapper.toProto(moves.describe(sessionId))).build();
            }
            return block;
        });
    }

    @Override
    public Uni<Vm> importPaused(sh.chaser.proto.vmagent.v1.ImportPausedRequest request) {
        return GrpcErrors.call(() -> {
            String sessionId = SandboxSpec.requireUuid(request.getSessionId());
            return switch (request.getStepCase()) {
                case BEGIN -> {
                    var moved = MoveMapper.fromProto(request.getBegin());
                    if (!moved.spec().sessionId().equals(sessionId)) {
                        throw AgentError.INVALID_REQUEST.exception("begin names another sandbox than session_id");
                    }
                    yield moves.begin(moved).map(r -> VmMapper.toVm(r, identity.hostId()))
                            .orElse(Vm.newBuilder().setSessionId(sessionId).setHostId(identity.hostId()).build());
                }
                case BLOCK -> {
                    moves.write(sessionId, MoveMapper.fromProto(request.getBlock()));
                    yield Vm.newBuilder().setSessionId(sessionId).setHostId(identity.hostId()).build();
                }
                case COMMIT -> VmMapper.toVm(moves.commit(sessionId), identity.hostId());
                default -> throw AgentError.INVALID_REQUEST.exception("an import step is begin, block or commit");
            };
        });
    }

    /** As the control plane sees it: a sandbox paused only while it is forked is running (it runs on). */
    private Vm reported(sh.chaser.agent.domain.SandboxRecord record) {
        Vm vm = VmMapper.toVm(record, identity.hostId(), idleSeconds(record));
        return vm.getState() == sh.chaser.proto.vmagent.v1.VmState.VM_STATE_PAUSED && pauses.forking(record.sessionId())
                ? vm.toBuilder().setState(sh.chaser.proto.vmagent.v1.VmState.VM_STATE_RUNNING).build()
                : vm;
    }

    @Override
    public Uni<Vm> get(GetVmRequest request) {
        return GrpcErrors.call(() -> sandboxes.get(SandboxSpec.requireUuid(request.getSessionId()))
                .map(this::reported)
                .orElseThrow(() -> AgentError.SANDBOX_NOT_FOUND.exception("no sandbox " + request.getSessionId()
                        + " on this host")));
    }

    @Override
    public Uni<ListVmsResponse> list(ListVmsRequest request) {
        return GrpcErrors.call(() -> ListVmsResponse.newBuilder().addAllVms(sandboxes.list().stream()
                .map(this::reported).toList())
                .build());
    }

    private long idleSeconds(sh.chaser.agent.domain.SandboxRecord record) {
        var list = commands.list(record.sessionId());
        return activity.idleSeconds(record, list.stream().anyMatch(c -> c.running()), list.stream()
                .map(c -> c.finishedAt()).filter(java.util.Objects::nonNull).max(java.time.Instant::compareTo)
                .orElse(null));
    }

    /**
     * On the call's own event loop, and answered there: an answer written from another thread raced
     * the HTTP/2 stream's state, and under many concurrent calls the server wrote headers for a
     * stream already closed, which Netty answers with a GOAWAY that fails every call on the connection.
     */
    @Override
    @io.smallrye.common.annotation.NonBlocking
    public Uni<ExecResponse> exec(ExecRequest request) {
        if (request.getBackground()) {
            // starting a command may wait for the sandbox's lock: on a worker, answered on the call's context
            io.vertx.core.Context call = io.vertx.core.Vertx.currentContext();
            return Uni.createFrom().deferred(() -> GrpcErrors.call(() -> {
                var started = commands.start(validSession(request), request.getCommand(), request.getCwd(),
                        request.getEnvMap());
                return ExecResponse.newBuilder().setCommandId(started.id()).setPid(started.pid()).build();
            })).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                    .emitOn(task -> call.runOnContext(v -> task.run()));
        }
        // the guest's answer comes back on this call's context (ForegroundExec runs on the event loop)
        return GrpcErrors.call(() -> validSession(request)).flatMap(sessionId -> foreground(request));
    }

    private static String validSession(ExecRequest request) {
        if (request.getCommand().isBlank()) {
            throw AgentError.INVALID_REQUEST.exception("command is required");
        }
        return SandboxSpec.requireUuid(request.getSessionId());
    }

    /** Completed by the guest's answer on the event loop: no worker waits for the command (see ForegroundExec). */
    private Uni<ExecResponse> foreground(ExecRequest request) {
        int max = request.getMaxOutputBytes() <= 0 ? MAX_OUTPUT : Math.min(request.getMaxOutputBytes(), MAX_OUTPUT);
        long timeout = request.getTimeoutMs() <= 0 ? DEFAULT_TIMEOUT_MS : request.getTimeoutMs();
        return Uni.createFrom().completionStage(() -> exec.start(request.getSessionId(), request.getCommand(),
                request.getCwd(), request.getEnvMap(), timeout, max).toCompletionStage())
                .map(result -> ExecResponse.newBuilder().setExitCode(result.exitCode())
                        .setOutput(ByteString.copyFrom(result.output()))
                        .setOutputTruncated(result.truncated()).setTimedOut(result.timedOut())
                        .setDurationMs(result.durationMs()).build())
                .onFailure(RuntimeException.class)
                .transform(failure -> failure instanceof io.grpc.StatusRuntimeException
                        ? failure
                        : GrpcErrors.toStatus((RuntimeException) failure));
    }

    /** The target lookup may wait for the sandbox's lock: on a worker; the calls themselves on the event loop. */
    @Override
    @io.smallrye.common.annotation.NonBlocking
    public Uni<sh.chaser.proto.vmagent.v1.BrowserCallsResponse> browserCalls(
            sh.chaser.proto.vmagent.v1.BrowserCallsRequest request) {
        io.vertx.core.Context call = io.vertx.core.Vertx.currentContext();
        return Uni.createFrom().deferred(() -> GrpcErrors.call(() -> browserCalls.run(
                SandboxSpec.requireUuid(request.getSessionId()), request.getTargetId(), calls(request),
                request.getTimeoutMs() <= 0 ? 60_000 : Math.min(request.getTimeoutMs(), 600_000),
                request.getKeepPage())))
                .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .flatMap(future -> Uni.createFrom().completionStage(future.toCompletionStage()))
                .map(answer -> sh.chaser.proto.vmagent.v1.BrowserCallsResponse.newBuilder()
                        .addAllResultsJson(answer.results()).setTargetId(answer.targetId()).build())
                .onFailure(RuntimeException.class)
                .transform(failure -> failure instanceof io.grpc.StatusRuntimeException
                        ? failure
                        : GrpcErrors.toStatus((RuntimeException) failure))
                .emitOn(task -> call.runOnContext(v -> task.run()));
    }

    private static java.util.List<sh.chaser.agent.browser.BrowserCalls.Call> calls(
            sh.chaser.proto.vmagent.v1.BrowserCallsRequest request) {
        if (request.getCallsCount() == 0 || request.getCallsCount() > 100) {
            throw AgentError.INVALID_REQUEST.exception("between 1 and 100 calls");
        }
        return request.getCallsList().stream().map(c -> {
            if (c.getMethod().isBlank()) {
                throw AgentError.INVALID_REQUEST.exception("each call needs a method");
            }
            try {
                return new sh.chaser.agent.browser.BrowserCalls.Call(c.getMethod(), c.getParamsJson().isEmpty()
                        ? new io.vertx.core.json.JsonObject()
                        : new io.vertx.core.json.JsonObject(c.getParamsJson()));
            } catch (io.vertx.core.json.DecodeException e) {
                throw AgentError.INVALID_REQUEST.exception("params of " + c.getMethod() + " are not a JSON object");
            }
        }).toList();
    }
}
