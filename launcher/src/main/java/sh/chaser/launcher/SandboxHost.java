package sh.chaser.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the local vm-agent runs sandboxes, from its readiness report: runtime, disk store, default image. */
final class SandboxHost {

    private SandboxHost() {}

    static String describe(int agentPort) {
        try {
            var request = HttpRequest
                    .newBuilder(
                            URI.create("http://127.0.0.1:" + Settings.managementPort(agentPort) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
            String disks = field(body, "disk_store");
            String text = "runtime " + field(body, "runtime") + ", default image " + field(body, "image")
                    + ", disks " + disks
                    + ("btrfs".equals(disks) ? " (copy-on-write snapshots)" : " (snapshots are full copies)");
            String unavailable = field(body, "unavailable");
            return unavailable.equals("?") ? text : text + "; NOT AVAILABLE: " + unavailable;
        } catch (Exception e) {
            return "unknown (the vm-agent did not answer: " + e.getMessage() + ")";
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "?";
    }
}
