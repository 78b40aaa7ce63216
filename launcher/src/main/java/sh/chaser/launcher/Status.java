package sh.chaser.launcher;

import java.util.Map;

/** One line per process: pid, port and whether it is ready. */
final class Status {

    private final Settings settings;
    private final Map<String, String> env;

    Status(Settings settings, Map<String, String> env) {
        this.settings = settings;
        this.env = env;
    }

    int run() throws Exception {
        Supervisor supervisor = new Supervisor(settings);
        System.out.printf("%-20s %-8s %-7s %s%n", "PROCESS", "PID", "PORT", "STATE");
        boolean allReady = true;
        for (Component c : Main.platform(settings, env).all()) {
            var handle = supervisor.running(c.name());
            String state = handle.isEmpty() ? "stopped" : c.ready().getAsBoolean() ? "ready" : "not ready";
            allReady &= state.equals("ready");
            System.out.printf("%-20s %-8s %-7d %s%n", c.name(), handle.map(h -> Long.toString(h.pid())).orElse("-"),
                    c.port(), state);
        }
        return allReady ? 0 : 3;
    }
}
