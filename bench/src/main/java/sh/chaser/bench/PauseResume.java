package sh.chaser.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pause and resume of a microVM session through the public API (what a user sees), beside a cold
 * create-to-running of the same kind of session in the same run (what a resume saves). Part of the
 * guest's RAM is filled with random bytes first, so the memory file a pause seals is not mostly holes.
 * The guest's memory is the vm-agent's default for a session (CHASER_AGENT_DEFAULTS_MEMORY_BYTES). Then forks of
 * 1, 4 and 16 of that session: the call answers once every child runs.
 */
public final class PauseResume {

    private static final String HELP = """
            Usage: bench/pause-resume [--runs N] [--fill MiB] [--fork-runs N]

            Needs a running platform whose sessions are microVMs, with room for a fork of 16 beside its parent:
              ./chaser down; CHASER_AGENT_SANDBOXES_MAX=24 ./chaser up --runtime qemu
            --runs N       cold creates, and pause/resume rounds (default 10)
            --fill MiB     random bytes written into the guest's RAM (/dev/shm) first (default 128)
            --fork-runs N  forks of 1, 4 and 16 of the same running session, each (default 3; 0: none)
            The guest's memory is the vm-agent's default for a session (512 MiB); measure another size
            by starting the platform with e.g. CHASER_AGENT_DEFAULTS_MEMORY_BYTES=1073741824.
            Prints p50/p99 of create-to-running, pause, resume and each fork (the call, until all run).
            """;
    private static final int[] FORKS = { 1, 4, 16 };
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.print(HELP);
            return;
        }
        int runs = LocalInstall.option(a, "--runs", 10);
        int fill = LocalInstall.option(a, "--fill", 128);
        int forkRuns = LocalInstall.option(a, "--fork-runs", 3);
        LocalInstall local = LocalInstall.read();
        String api = local.apiUrl();
        String key = local.apiKey();
        System.out.printf("API at %s; %d runs%n", api, runs);
        double[] cold = new double[runs];
        for (int i = 0; i < runs; i++) {
            String[] id = new String[1];
            cold[i] = LocalInstall.time(() -> id[0] = running(api, key));
            call(api, key, "DELETE", "/v1/sessions/" + id[0] + "?force=true", null, 200);
        }
        String id = running(api, key);
        double[] pause = new double[runs];
        double[] resume = new double[runs];
        double[][] forks = new double[FORKS.length][forkRuns];
        try {
            call(api, key, "POST", "/v1/sessions/" + id + "/exec", "{\"command\":\"head -c " + fill
                    + "M /dev/urandom > /dev/shm/fill\",\"timeout_ms\":280000}", 200);
            for (int i = 0; i < runs; i++) {
                pause[i] = LocalInstall.time(() -> call(api, key, "POST", "/v1/sessions/" + id + "/pause", null, 200));
                resume[i] = LocalInstall.time(() -> call(api, key, "POST", "/v1/sessions/" + id + "/resume", null,
                        200));
            }
            for (int f = 0; f < FORKS.length; f++) {
                for (int i = 0; i < forkRuns; i++) {
                    String[] made = new String[1];
                    int count = FORKS[f];
                    forks[f][i] = LocalInstall.time(() -> made[0] = call(api, key, "POST", "/v1/sessions/" + id
                            + "/fork?force=true", "{\"count\":" + count + "}", 201));
                    Matcher child = ID.matcher(made[0]);
                    while (child.find()) {
                        call(api, key, "DELETE", "/v1/sessions/" + child.group(1) + "?force=true", null, 200);
                    }
                }
            }
        } finally {
            call(api, key, "DELETE", "/v1/sessions/" + id + "?force=true", null, 200);
        }
        SandboxBoot.report("cold create to running (API)", cold);
        SandboxBoot.report("pause (API)", pause);
        SandboxBoot.report("resume (API)", resume);
        for (int f = 0; f < FORKS.length && forkRuns > 0; f++) {
            SandboxBoot.report("fork of " + FORKS[f] + " (API, until all run)", forks[f]);
        }
    }

    /** A new ephemeral sandbox session, once it runs. */
    private static String running(String api, String key) throws Exception {
        String body = call(api, key, "POST", "/v1/sessions", "{\"session_type\":\"sandbox\",\"ephemeral\":true}", 0);
        Matcher m = ID.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no session: " + body);
        }
        String id = m.group(1);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!call(api, key, "GET", "/v1/sessions/" + id, null, 200).contains("\"status\":\"running\"")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("session " + id + " did not run within 3 minutes");
            }
            Thread.sleep(50);
        }
        return id;
    }

    private static String call(String api, String key, String method, String path, String body, int expected)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (expected != 0 ? answer.statusCode() != expected : answer.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ": "
                    + answer.body());
        }
        return answer.body();
    }
}
