package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.proto.vmagent.v1.ExecRequest;
import sh.chaser.proto.vmagent.v1.ExecResponse;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.persistence.SessionEntity;

/**
 * A foreground command in a running sandbox, through its vm-agent. The call holds a connection
 * lease while it runs, so terminating the session without force is refused meanwhile.
 */
@ApplicationScoped
public class RunCommand {

    private static final String HOLDER = "session-service@" + ManagementFactory.getRuntimeMXBean().getName();

    public record Result(int exitCode, String output, boolean outputTruncated, boolean timedOut) {}

    @Inject
    VmAgents agents;
    @Inject
    Placement placement;
    @Inject
    Leases leases;
    @Inject
    Audit audit;

    public Result run(Actor actor, SessionEntity s, String command, String cwd, Map<String, String> env,
            long timeoutMs) {
        requireSandbox(s);
        var lease = leases.acquire(s.accountId, s.id, HOLDER, "exec");
        leases.hold(lease.id);
        try {
            Placement.Host host = placement.address(s.hostId).orElseThrow(() -> ErrorCode.HOST_UNAVAILABLE.exception(
                    "the session's host is not known"));
            ExecRequest request = ExecRequest.newBuilder().setSessionId(s.id.toString()).setCommand(command)
                    .setCwd(cwd == null ? "" : cwd).putAllEnv(env == null ? Map.of() : env).setTimeoutMs(timeoutMs)
                    .build();
            ExecResponse answer = call(s, host, request, Duration.ofMillis(timeoutMs).plusSeconds(15));
            Tx.run(() -> audit.success(actor, "session.exec", "session", s.id.toString(),
                    "ran a command (exit " + answer.getExitCode() + ")",
                    Map.of("exit_code", answer.getExitCode(), "timed_out", answer.getTimedOut(),
                            "duration_ms", answer.getDurationMs())));
            return new Result(answer.getExitCode(), answer.getOutput().toString(StandardCharsets.UTF_8),
                    answer.getOutputTruncated(), answer.getTimedOut());
        } finally {
            leases.drop(lease.id);
        }
    }

    private static void requireSandbox(SessionEntity s) {
        if (!"sandbox".equals(s.sessionType)) {
            throw ErrorCode.UNSUPPORTED_FOR_SESSION_TYPE.exception("exec is for sandbox sessions; this is a "
                    + s.sessionType + " session");
        }
    }

    private ExecResponse call(SessionEntity s, Placement.Host host, ExecRequest request, Duration deadline) {
        try {
            return agents.exec(host.address(), request, deadline);
        } catch (AgentFailure f) {
            throw switch (f.reason()) {
                case SANDBOX_NOT_FOUND, SANDBOX_NOT_RUNNING -> ErrorCode.SESSION_NOT_RUNNING.exception(
                        "session " + s.id + " is not running");
                case UNSUPPORTED_RUNTIME -> ErrorCode.UNSUPPORTED_FOR_SESSION_TYPE.exception(
                        "the session's runtime cannot run commands yet");
                default -> ErrorCode.HOST_UNAVAILABLE.exception("the session's host did not run the command ("
                        + f.code() + ")");
            };
        }
    }
}
