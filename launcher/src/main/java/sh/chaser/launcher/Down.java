package sh.chaser.launcher;

import java.util.List;
import java.util.Map;

/** Stops every process of this installation, in reverse start order, waiting for each. */
final class Down {

    private final Settings settings;
    private final Map<String, String> env;

    Down(Settings settings, Map<String, String> env) {
        this.settings = settings;
        this.env = env;
    }

    int run() throws Exception {
        Supervisor supervisor = new Supervisor(settings);
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
        System.out.println(stopped == 0
                ? "Chaser: nothing was running."
                : "Chaser: stopped " + stopped
                        + " process(es); data kept in " + settings.home());
        return 0;
    }
}
