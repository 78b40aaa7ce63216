package sh.chaser.session.grpc;

import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import sh.chaser.common.grpc.AgentChannels;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.DestroyRequest;
import sh.chaser.proto.vmagent.v1.ExecRequest;
import sh.chaser.proto.vmagent.v1.ExecResponse;
import sh.chaser.proto.vmagent.v1.GetVmRequest;
import sh.chaser.proto.vmagent.v1.ListVmsRequest;
import sh.chaser.proto.vmagent.v1.Vm;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;
import sh.chaser.session.application.VmAgents;
import sh.chaser.session.config.SessionConfig;

/** Blocking calls to the vm-agent at an address; Boot and Destroy are idempotent by session id there. */
@ApplicationScoped
public class Agents implements VmAgents {

    @Inject
    SessionConfig config;
    @Inject
    AgentChannels channels;

    @Override
    public Vm boot(String address, BootRequest request) {
        return call(address, config.boot().deadline(), a -> a.boot(request));
    }

    @Override
    public boolean destroy(String address, String sessionId) {
        return call(address, config.boot().agentDeadline(),
                a -> a.destroy(DestroyRequest.newBuilder().setSessionId(sessionId).build())).getExisted();
    }

    @Override
    public Optional<Vm> get(String address, String sessionId, Duration deadline) {
        try {
            return Optional
                    .of(call(address, deadline, a -> a.get(GetVmRequest.newBuilder().setSessionId(sessionId).build())));
        } catch (AgentFailure e) {
            if (e.reason() == sh.chaser.proto.errors.v1.ErrorReason.SANDBOX_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<Vm> list(String address) {
        return call(address, config.boot().agentDeadline(), a -> a.list(ListVmsRequest.getDefaultInstance()))
                .getVmsList();
    }

    @Override
    public Vm pause(String address, String sessionId) {
        return call(address, config.boot().deadline(),
                a -> a.pause(sh.chaser.proto.vmagent.v1.PauseRequest.newBuilder().setSessionId(sessionId).build()));
    }

    @Override
    public List<Vm> fork(String address, String sessionId, List<String> childIds) {
        var request = sh.chaser.proto.vmagent.v1.ForkRequest.newBuilder().setSessionId(sessionId);
        childIds.forEach(id -> request.addChildren(sh.chaser.proto.vmagent.v1.ForkChild.newBuilder().setSessionId(id)));
        // each child is a resume under TCG: seconds each
        return call(address, config.boot().deadline().multipliedBy(Math.max(1, childIds.size())),
                a -> a.fork(request.build())).getVmsList();
    }

    @Override
    public Vm resume(String address, String sessionId) {
        return call(address, config.boot().deadline(),
                a -> a.resume(sh.chaser.proto.vmagent.v1.ResumeRequest.newBuilder().setSessionId(sessionId).build()));
    }

    @Override
    public sh.chaser.proto.vmagent.v1.PausedBlock readPaused(String address,
            sh.chaser.proto.vmagent.v1.ReadPausedRequest request) {
        return call(address, config.boot().agentDeadline(), a -> a.readPaused(request));
    }

    @Override
    public Vm importPaused(String address, sh.chaser.proto.vmagent.v1.ImportPausedRequest request) {
        // the commit hashes the memory (seconds for a GiB on a busy host)
        return call(address, request.getCommit() ? config.boot().deadline() : config.boot().agentDeadline(),
                a -> a.importPaused(request));
    }

    @Override
    public ExecResponse exec(String address, ExecRequest request, Duration deadline) {
        return call(address, deadline, a -> a.exec(request));
    }

    @Override
    public sh.chaser.proto.vmagent.v1.BrowserCallsResponse browserCalls(String address,
            sh.chaser.proto.vmagent.v1.BrowserCallsRequest request, Duration deadline) {
        return call(address, deadline, a -> a.browserCalls(request));
    }

    private <T> T call(String address, Duration deadline, Function<VmAgentGrpc.VmAgentBlockingStub, T> call) {
        try {
            return call.apply(VmAgentGrpc.newBlockingStub(channels.of(address))
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            throw AgentFailure.of(e);
        }
    }
}
