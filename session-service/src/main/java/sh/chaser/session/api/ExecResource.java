package sh.chaser.session.api;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.UUID;
import sh.chaser.common.security.Actor;
import sh.chaser.common.security.InternalCaller;
import sh.chaser.contracts.ExecRules;
import sh.chaser.session.application.CreateSession;
import sh.chaser.session.application.RunCommand;
import sh.chaser.session.application.TerminateSession;
import sh.chaser.session.domain.CreateRules;
import sh.chaser.session.domain.ErrorCode;

/** POST /v1/exec: a foreground command in a sandbox booted (or the workspace's, reused) for the call. */
@Path("/v1/exec")
@Authenticated
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ExecResource {

    public record ExecResult(int exitCode, String output, boolean outputTruncated, boolean timedOut, UUID sessionId) {}

    @Inject
    InternalCaller caller;
    @Inject
    RunCommand runner;
    @Inject
    CreateSession creator;
    @Inject
    TerminateSession terminator;
    @Inject
    sh.chaser.session.application.WorkspaceLocks locks;

    /** Boots (or reuses the workspace's) sandbox, runs, answers; an ephemeral one is terminated afterwards. */
    @POST
    public ExecResult spawnAndExec(Requests.Exec r) {
        long timeout = check(r);
        String workspace = r.workspace();
        if ((workspace == null || workspace.isBlank()) && !Boolean.TRUE.equals(r.ephemeral()) && r.image() == null) {
            // named nothing: the account's default sandbox workspace, when it set one
            workspace = locks.defaultWorkspace(caller.accountId(), "sandbox").map(UUID::toString).orElse(null);
        }
        boolean ephemeral = workspace == null || workspace.isBlank();
        if (r.ephemeral() != null && r.ephemeral() != ephemeral) {
            throw ErrorCode.INVALID_REQUEST.exception(ephemeral
                    ? "ephemeral: false needs a workspace"
                    : "a workspace session is not ephemeral", "ephemeral");
        }
        Actor actor = Actor.of(caller);
        var checked = CreateRules.check("sandbox", workspace, ephemeral, r.image(), Map.of());
        var session = creator.create(actor, caller.limits(), checked).session();
        try {
            if (!"running".equals(session.status)) {
                throw ErrorCode.SESSION_NOT_RUNNING.exception("the sandbox is still booting; retry with its session id "
                        + session.id);
            }
            return result(runner.run(actor, session, r.command(), r.cwd(), r.env(), timeout), session.id);
        } finally {
            if (ephemeral) {
                terminator.terminate(actor, session.id, true);
            }
        }
    }

    static long check(Requests.Exec r) {
        ExecRules.command(r == null ? null : r.command()).ifPresent(ExecResource::refuse);
        long timeout = r.timeoutMs() == null ? ExecRules.DEFAULT_TIMEOUT_MS : r.timeoutMs();
        ExecRules.timeout(timeout).ifPresent(ExecResource::refuse);
        CreateRules.env(r.env());
        return timeout;
    }

    private static void refuse(ExecRules.Refusal refusal) {
        throw ErrorCode.INVALID_REQUEST.exception(refusal.message(), refusal.field());
    }

    static ExecResult result(RunCommand.Result r, UUID sessionId) {
        return new ExecResult(r.exitCode(), r.output(), r.outputTruncated(), r.timedOut(), sessionId);
    }
}
