package sh.chaser.agent.application;

import java.time.Duration;
import java.util.Map;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.AgentException;
import sh.chaser.agent.guest.GuestClient;
import sh.chaser.agent.guest.GuestErrors;

/**
 * One command run to completion inside a sandbox by its guest agent: stdout and stderr combined in
 * the order they were written, the first {@code maxOutput} bytes kept (the rest read and dropped so
 * the command never blocks on a full pipe), its whole session killed at the deadline. The answer
 * does not wait for children the command left running in the background.
 */
@jakarta.enterprise.context.ApplicationScoped
public class ForegroundExec {

    /** The status of a command whose sandbox was stopped under it. */
    static final int KILLED = 128 + 9;

    public record Result(int exitCode, byte[] output, boolean truncated, boolean timedOut, long durationMs) {}

    @jakarta.inject.Inject
    Sandboxes sandboxes;
    @jakarta.inject.Inject
    SandboxActivity activity;

    /** The exit code is -1 when the deadline ended the command. */
    public Result run(String sessionId, String command, String cwd, Map<String, String> env, long timeoutMs,
            int maxOutput) {
        Sandboxes.Inside inside = sandboxes.inside(sessionId, env);
        long started = System.nanoTime();
        GuestClient.ExecResult result;
        Runnable used = activity.begin(sessionId);
        try {
            result = GuestErrors
                    .call(() -> inside.guest().exec(command, cwd, inside.env(), Duration.ofMillis(timeoutMs),
                            maxOutput));
        } catch (AgentException e) {
            if (e.error() == AgentError.INTERNAL && !stillRunning(sessionId)) {
                // the sandbox was stopped under the command (a forced terminate): it died with it, as by SIGKILL
                return new Result(KILLED, new byte[0], false, false, (System.nanoTime() - started) / 1_000_000);
            }
            throw e;
        } finally {
            used.run();
        }
        return new Result(result.timedOut() ? -1 : result.exitCode(), result.output(), result.outputTruncated(),
                result.timedOut(), (System.nanoTime() - started) / 1_000_000);
    }

    private boolean stillRunning(String sessionId) {
        return sandboxes.get(sessionId).map(r -> r.status() == sh.chaser.agent.domain.SandboxStatus.RUNNING
                && r.desired() == sh.chaser.agent.domain.SandboxRecord.Desired.RUNNING).orElse(false);
    }
}
