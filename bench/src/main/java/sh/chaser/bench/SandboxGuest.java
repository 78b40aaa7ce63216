package sh.chaser.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The guest agent inside a running sandbox, reached from the host as the vm-agent reaches it: the
 * floor of the exec benchmarks. Read from the agent's data directory (run the benchmark as root).
 *
 * @param runtime the sandbox's runtime (namespace, qemu)
 * @param baseUrl the guest agent's address from the host
 * @param token the bearer token it wants
 */
record SandboxGuest(String runtime, String baseUrl, String token) {

    /** The guest agent's port inside every sandbox (vm-agent's default). */
    static final int PORT = 49983;

    static SandboxGuest of(LocalInstall local, String sessionId) throws IOException {
        Path state = local.home().resolve("agent/sandboxes").resolve(sessionId);
        String record = Files.readString(state.resolve("sandbox.json"));
        String runtime = record.replaceAll("(?s).*?\"runtime\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        int slot = Integer.parseInt(record.replaceAll("(?s).*?\"net_slot\"\\s*:\\s*\"(\\d+)\".*", "$1"));
        // the default sandbox network, 10.213.0.0/16: slot n is host .4n+1, sandbox .4n+2
        String address = "10.213." + ((slot * 4 + 2) >> 8) + "." + ((slot * 4 + 2) & 255);
        return new SandboxGuest(runtime, "http://" + address + ":" + PORT,
                Files.readString(state.resolve("guest.token")).strip());
    }
}
