package sh.chaser.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The vm-agent's runtime chosen with {@code ./chaser up --runtime R} (auto, namespace, qemu,
 * firecracker), remembered in the installation's home until the next {@code --runtime}; without
 * one the agent decides ({@code auto}: microVMs where KVM is usable).
 */
final class AgentRuntime {

    static final Set<String> CHOICES = Set.of("auto", "namespace", "qemu", "firecracker");

    private AgentRuntime() {}

    private static Path file(Settings settings) {
        return settings.home().resolve("runtime");
    }

    /** Applies {@code --runtime R} from the options; false (after saying why) when R is not a runtime. */
    static boolean choose(Settings settings, List<String> options) throws IOException {
        int at = options.indexOf("--runtime");
        if (at < 0) {
            return true;
        }
        String runtime = at + 1 < options.size() ? options.get(at + 1) : "";
        if (!CHOICES.contains(runtime)) {
            System.err.println("--runtime takes one of auto, namespace, qemu, firecracker");
            return false;
        }
        Files.createDirectories(settings.home());
        Files.writeString(file(settings), runtime + "\n");
        return true;
    }

    /** What the running agent says its sessions are, with the way to microVMs when it runs none. */
    static Optional<String> describe(Settings settings) {
        try {
            String health = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI
                            .create("http://127.0.0.1:" + Settings.managementPort(settings.agentPort()) + "/q/health"))
                    .timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            var m = java.util.regex.Pattern.compile("\"runtime_description\"\\s*:\\s*\"([^\"]*)\"").matcher(health);
            if (!m.find()) {
                return Optional.empty();
            }
            String line = "Sessions run as " + m.group(1) + ".";
            if (m.group(1).startsWith("namespace")) {
                line += " For microVMs without KVM: ./chaser up --runtime qemu (under TCG, seconds per boot).";
            }
            return Optional.of(line);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The remembered choice, if any (the agent's CHASER_AGENT_RUNTIME). */
    static Optional<String> chosen(Settings settings) {
        try {
            return Files.exists(file(settings))
                    ? Optional.of(Files.readString(file(settings)).strip())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
