package sh.chaser.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Stops every process of this installation, in reverse start order, waiting for each. Sandboxes
 * outlive their vm-agent (the next one adopts them) unless asked to go too: then a marker in the
 * agent's data directory tells the stopping agent to destroy them first.
 */
final class Down {

    /** The file the vm-agent looks for when it stops (AgentConfig's destroy-sandboxes-marker). */
    static final String DESTROY_SANDBOXES_MARKER = "destroy-sandboxes-on-stop";
    private final Settings settings;
    private final Map<String, String> env;
    private final boolean destroySandboxes;

    Down(Settings settings, Map<String, String> env, boolean destroySandboxes) {
        this.settings = settings;
        this.env = env;
        this.destroySandboxes = destroySandboxes;
    }

    int run() throws Exception {
        Supervisor supervisor = new Supervisor(settings);
        Path marker = settings.home().resolve("agent").resolve(DESTROY_SANDBOXES_MARKER);
        if (destroySandboxes && supervisor.running("vm-agent").isPresent()) {
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, "");
        }
        List<Component> all = Main.platform(settings, env).all();
        int stopped = 0;
        for (int i = all.size() - 1; i >= 0; i--) {
            String name = all.get(i).name();
            // Kafka and PostgreSQL flush on SIGTERM and need longer than a service.
            if (supervisor.stop(name, name.equals("kafka") || name.equals("postgres") ? 60 : 20)) {
                System.out.printf("  stopped %s%n", name);
                stopped++;
            }
        }
        Files.deleteIfExists(marker);
        System.out.println(stopped == 0
                ? "Chaser: nothing was running."
                : "Chaser: stopped " + stopped
                        + " process(es); data kept in " + settings.home());
        if (stopped > 0 && !destroySandboxes) {
            System.out.println("Chaser: sandboxes keep running; `./chaser up` adopts them,"
                    + " `./chaser down --destroy-sandboxes` ends them.");
        }
        return 0;
    }
}
