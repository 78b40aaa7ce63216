package sh.chaser.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.DestroyRequest;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;

/**
 * Host memory per idle sandbox: the growth of used memory (MemTotal - MemAvailable) while N idle
 * sandboxes run, split into what their own processes use (PSS) and the rest (kernel objects of
 * namespaces, veths and cgroups, page tables, the agent's bookkeeping).
 */
final class IdleMemory {

    private IdleMemory() {}

    static void measure(VmAgentGrpc.VmAgentBlockingStub agent, int count) throws IOException {
        List<String> ids = new ArrayList<>();
        long before = usedKiB();
        try {
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                agent.withDeadlineAfter(30, TimeUnit.SECONDS).boot(BootRequest.newBuilder().setSessionId(id)
                        .setSessionType("sandbox").build());
                ids.add(id);
                if ((i + 1) % 100 == 0) {
                    System.out.printf("  %d idle sandboxes running%n", i + 1);
                }
            }
            long after = usedKiB();
            long pss = ids.stream().mapToLong(IdleMemory::pssKiB).sum();
            double perSandbox = (after - before) / 1024.0 / count;
            double own = pss / 1024.0 / count;
            System.out.printf("%d idle sandboxes: host memory %.2f MiB each; their processes (PSS) %.2f MiB; "
                    + "beyond their processes %.2f MiB each (aim: under 3 MiB)%n", count, perSandbox, own,
                    perSandbox - own);
        } finally {
            ids.forEach(id -> agent.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .destroy(DestroyRequest.newBuilder().setSessionId(id).build()));
        }
    }

    private static long usedKiB() throws IOException {
        long total = 0;
        long available = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                total = kib(line);
            } else if (line.startsWith("MemAvailable:")) {
                available = kib(line);
            }
        }
        return total - available;
    }

    /** PSS of every process in the sandbox's cgroup, whatever host id its agent has. */
    private static long pssKiB(String sessionId) {
        try (Stream<Path> hosts = Files.list(Path.of("/sys/fs/cgroup/pids/chaser"))) {
            long sum = 0;
            for (Path host : hosts.toList()) {
                Path procs = host.resolve(sessionId).resolve("cgroup.procs");
                if (Files.exists(procs)) {
                    for (String pid : Files.readAllLines(procs)) {
                        for (String line : Files.readAllLines(Path.of("/proc", pid.strip(), "smaps_rollup"))) {
                            if (line.startsWith("Pss:")) {
                                sum += kib(line);
                            }
                        }
                    }
                }
            }
            return sum;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
