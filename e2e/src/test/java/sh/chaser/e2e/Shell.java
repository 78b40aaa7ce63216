package sh.chaser.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a documentation example in bash, with the launcher's CHASER_API_URL and CHASER_API_KEY exported. */
final class Shell {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> env;

    Shell(Map<String, String> env) {
        this.env = env;
    }

    String run(String script) throws Exception {
        // every example has a deadline: a hung request fails the test instead of the suite
        ProcessBuilder pb = new ProcessBuilder("timeout", "120", "bash", "-o", "pipefail", "-c", script);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("example failed (" + p.exitValue() + "): " + script + "\n" + out + err);
        }
        System.out.println("$ " + script + "\n" + out);
        return out;
    }

    JsonNode json(String script) throws Exception {
        return JSON.readTree(run(script));
    }
}
