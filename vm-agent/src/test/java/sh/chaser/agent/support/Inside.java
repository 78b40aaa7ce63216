package sh.chaser.agent.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import sh.chaser.agent.application.Sandboxes;

/** Runs a bash script inside a running sandbox the way exec does: through its guest agent. */
public final class Inside {

    private Inside() {}

    public record Result(int exit, String output) {}

    public static Result run(Sandboxes sandboxes, String sessionId, String script) {
        try {
            var inside = sandboxes.inside(sessionId, Map.of());
            var result = inside.guest().exec("exec /bin/bash -c '" + script.replace("'", "'\\''") + "'",
                    null, inside.env(), Duration.ofSeconds(120), 16 << 20);
            if (result.timedOut()) {
                throw new AssertionError("command inside " + sessionId + " did not finish: " + script);
            }
            return new Result(result.exitCode(), new String(result.output(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
