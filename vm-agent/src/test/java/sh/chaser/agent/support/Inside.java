package sh.chaser.agent.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.runtime.namespace.NamespaceRuntime;

/** Runs a command inside a running sandbox, the way exec will: same namespaces, cgroup and user. */
public final class Inside {

    private Inside() {
    }

    public record Result(int exit, String output) {
    }

    /**
     * The script's output goes to a file inside the sandbox, printed when it ends: children it leaves
     * running hold that file, not the runtime's relay of the streams (which would wait for them).
     */
    private static final String WRAPPER = "f=/tmp/.inside-$$; bash -c \"$1\" > \"$f\" 2>&1 </dev/null; code=$?; "
            + "cat \"$f\"; exit $code";

    public static Result run(Sandboxes sandboxes, String sessionId, String script) {
        var record = sandboxes.get(sessionId).orElseThrow();
        var runtime = (NamespaceRuntime) sandboxes.activeRuntime();
        try {
            // output to a file, not a pipe: background processes the command leaves would hold a pipe open
            Path output = Files.createTempFile("inside", ".out");
            Process process = runtime.enter(record, List.of("/bin/bash", "-c", WRAPPER, "chaser-inside", script), java.util.Map.of(), false).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("command inside " + sessionId + " did not finish: " + script);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            return new Result(process.exitValue(), text);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
