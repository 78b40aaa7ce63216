package sh.chaser.agent.application;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.AgentException;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxStatus;
import sh.chaser.agent.guest.GuestErrors;
import sh.chaser.agent.guest.GuestStreams;

/**
 * One command run to completion inside a sandbox by its guest agent: stdout and stderr combined in
 * the order they were written, the first {@code maxOutput} bytes kept (the rest read and dropped so
 * the command never blocks on a full pipe), its whole session killed at the deadline. The answer
 * does not wait for children the command left running in the background. The call into the guest
 * is made on the event loop: no thread waits while the command runs (and none may: a worker that
 * waited for the answer could be the one its callback is queued on).
 */
@ApplicationScoped
public class ForegroundExec {

    /** The status of a command whose sandbox was stopped under it. */
    static final int KILLED = 128 + 9;

    public record Result(int exitCode, byte[] output, boolean truncated, boolean timedOut, long durationMs) {}

    @Inject
    Vertx vertx;
    @Inject
    Sandboxes sandboxes;
    @Inject
    SandboxActivity activity;
    @Inject
    GuestStreams guests;

    /** The command's result; the exit code is -1 when the deadline ended it. */
    public Future<Result> start(String sessionId, String command, String cwd, Map<String, String> env, long timeoutMs,
            int maxOutput) {
        if (!io.vertx.core.Context.isOnEventLoopThread()) {
            // from a worker (the gRPC Exec, which is blocking): run it all on an event loop, as the data
            // plane's exec; answers of a client used from a worker context went to that context's queue
            // and one could wait there for good (an old-path exec hung 60 s in bench/data-plane)
            io.vertx.core.Promise<Result> done = io.vertx.core.Promise.promise();
            ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext().runOnContext(
                    v -> start(sessionId, command, cwd, env, timeoutMs, maxOutput).onComplete(done));
            return done.future();
        }
        // finding the sandbox may wait for its lock (a boot or destroy in progress): not on the event loop
        Future<Sandboxes.Inside> found = vertx.executeBlocking(() -> sandboxes.inside(sessionId, env), false);
        return found.compose(inside -> {
            long started = System.nanoTime();
            Runnable used = activity.begin(sessionId);
            return guests.exec(inside.guest().address(), command, cwd, inside.env(), timeoutMs, maxOutput)
                    .andThen(done -> used.run())
                    .map(r -> new Result(r.timedOut() ? -1 : r.exitCode(), r.output(), r.outputTruncated(),
                            r.timedOut(), millisSince(started)))
                    .recover(failure -> failed(sessionId, GuestErrors.ofFailure(failure), started));
        });
    }

    private Future<Result> failed(String sessionId, RuntimeException failure, long started) {
        if (!(failure instanceof AgentException e) || e.error() != AgentError.INTERNAL) {
            return Future.failedFuture(failure);
        }
        return vertx.executeBlocking(() -> {
            if (stillRunning(sessionId)) {
                throw failure;
            }
            // the sandbox was stopped under the command (a forced terminate): it died with it, as by SIGKILL
            return new Result(KILLED, new byte[0], false, false, millisSince(started));
        }, false);
    }

    private boolean stillRunning(String sessionId) {
        return sandboxes.get(sessionId).map(r -> r.status() == SandboxStatus.RUNNING
                && r.desired() == SandboxRecord.Desired.RUNNING).orElse(false);
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
