package sh.chaser.bench;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.DestroyRequest;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;
import sh.chaser.proto.vmagent.v1.VmState;

/**
 * Sandbox boot time through the vm-agent's gRPC API against the physical floor (the same network
 * namespace, veth pair and cgroups, and runc with the agent's own OCI configuration, started by a
 * shell script; timed until the guest agent under the init listens, where the agent's Boot waits
 * for its answer), and the host memory each idle sandbox costs.
 */
public final class SandboxBoot {

    private static final String HELP = """
            Usage: bench/sandbox-boot [--runs N] [--idle N]

            Needs a running platform whose vm-agent may run the idle sandboxes, e.g.
            (the floor runs runc with the configuration the agent writes for a sandbox of its default image)
              ./chaser down; CHASER_AGENT_SANDBOXES_MAX=600 ./chaser up
            Run as root (the floor creates namespaces and cgroups itself).
            --runs N   boot+destroy cycles per side (default 200)
            --idle N   idle sandboxes to start for the memory measurement (default 500; 0 skips it)
            Prints p50/p99 of boot-to-running for the agent and the floor, their ratio, and the host
            memory per idle sandbox beyond what its own processes use.
            """;

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.print(HELP);
            return;
        }
        int runs = LocalInstall.option(a, "--runs", 200);
        int idle = LocalInstall.option(a, "--idle", 500);
        LocalInstall local = LocalInstall.read();
        int agentPort = local.agentPort();
        ManagedChannel channel = local.agentChannel(InternalCallers.SESSION);
        var agent = VmAgentGrpc.newBlockingStub(channel);
        System.out.printf("vm-agent at 127.0.0.1:%d; %d boot/destroy cycles per side, warm-up 20%n", agentPort, runs);

        cycle(agent, 20);
        double[] viaAgent = cycle(agent, runs);
        Floor floor = new Floor(Floor.template(agent, local.home().resolve("agent")));
        floor.cycle(20);
        double[] direct = floor.cycle(runs);
        report("agent Boot (gRPC)", viaAgent);
        report("floor (ip + cgroup + runc)", direct);
        System.out.printf("ratio agent/floor: p50 %.2fx, p99 %.2fx%n",
                LocalInstall.percentile(viaAgent, 50) / LocalInstall.percentile(direct, 50),
                LocalInstall.percentile(viaAgent, 99) / LocalInstall.percentile(direct, 99));
        if (idle > 0) {
            IdleMemory.measure(agent, idle);
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Boot-to-running latencies in milliseconds; each sandbox is destroyed after its boot. */
    static double[] cycle(VmAgentGrpc.VmAgentBlockingStub agent, int runs) {
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            String id = UUID.randomUUID().toString();
            long start = System.nanoTime();
            var vm = agent.withDeadlineAfter(30, TimeUnit.SECONDS).boot(BootRequest.newBuilder().setSessionId(id)
                    .setSessionType("sandbox").build());
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (vm.getState() != VmState.VM_STATE_RUNNING) {
                throw new IllegalStateException("boot failed: " + vm.getExitReason());
            }
            agent.withDeadlineAfter(30, TimeUnit.SECONDS).destroy(DestroyRequest.newBuilder().setSessionId(id).build());
        }
        return millis;
    }

    static void report(String name, double[] millis) {
        System.out.printf("%-36s p50 %7.2f ms   p99 %7.2f ms%n", name, LocalInstall.percentile(millis, 50),
                LocalInstall.percentile(millis, 99));
    }

    /**
     * The same isolation, straight from a shell: a network namespace and veth pair, the cgroups,
     * and {@code runc run} of the configuration the agent wrote for a sandbox it booted (its own
     * user namespace, seccomp profile, masked paths, tini): what a sandbox boot cannot go below.
     */
    record Floor(String template) {

        private static final String RUNC_ROOT = "/run/chaser-bench-runc";
        private static final Path BUNDLES = Path.of("/run/chaser-bench");

        private static final String SCRIPT = """
                i=$1; ns=chaser-bench-$i; cg=chaser/bench-floor/$i
                ip -batch - <<B
                netns add $ns
                link add chb$i type veth peer name eth0 netns $ns
                link set chb$i up
                B
                ip -n $ns -batch - <<B
                link set lo up
                link set eth0 up
                B
                mkdir -p /sys/fs/cgroup/memory/$cg /sys/fs/cgroup/pids/$cg /sys/fs/cgroup/cpu/$cg
                echo 536870912 > /sys/fs/cgroup/memory/$cg/memory.limit_in_bytes
                echo 512 > /sys/fs/cgroup/pids/$cg/pids.max
                echo 100000 > /sys/fs/cgroup/cpu/$cg/cpu.cfs_quota_us
                runc --root %s --log %s/$i/init.log run --detach --bundle %s/$i floor-$i </dev/null >/dev/null 2>&1
                runc --root %s state floor-$i | sed -n 's/.*"pid": *\\([0-9]*\\).*/\\1/p'
                """.formatted(RUNC_ROOT, BUNDLES, BUNDLES, RUNC_ROOT);

        /** The configuration the agent wrote for one sandbox, taken while it runs. */
        static String template(VmAgentGrpc.VmAgentBlockingStub agent, Path agentData) throws IOException {
            String id = UUID.randomUUID().toString();
            agent.withDeadlineAfter(30, TimeUnit.SECONDS).boot(BootRequest.newBuilder().setSessionId(id)
                    .setSessionType("sandbox").build());
            try {
                String config = Files
                        .readString(agentData.resolve("sandboxes").resolve(id).resolve("bundle/config.json"));
                return config
                        .replace(agentData.resolve("disk-store/scratch").resolve(id).toString(),
                                BUNDLES.resolve("ws").toString())
                        .replace(agentData.resolve("sandboxes").resolve(id).resolve("guest.token").toString(),
                                BUNDLES.resolve("guest.token").toString())
                        .replaceAll(",\"path\":\"/run/chaser-userns/[^\"]*\"", "");
            } finally {
                agent.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .destroy(DestroyRequest.newBuilder().setSessionId(id).build());
            }
        }

        double[] cycle(int runs) throws IOException, InterruptedException {
            Path workspace = Files.createDirectories(BUNDLES.resolve("ws"));
            new ProcessBuilder("chown", "2000001000:2000001000", workspace.toString()).inheritIO().start().waitFor();
            Path token = BUNDLES.resolve("guest.token");
            Files.writeString(token, "bench-floor-token-0123456789");
            new ProcessBuilder("chown", "2000001000:2000001000", token.toString()).inheritIO().start().waitFor();
            double[] millis = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                int n = i % 1000;
                Path bundle = Files.createDirectories(BUNDLES.resolve(Integer.toString(n)));
                Files.writeString(bundle.resolve("config.json"), template
                        .replaceAll("\"/run/netns/[^\"]*\"", "\"/run/netns/chaser-bench-" + n + "\"")
                        .replaceAll("\"cgroupsPath\":\"[^\"]*\"", "\"cgroupsPath\":\"/chaser/bench-floor/" + n + "\""));
                var builder = new ProcessBuilder("bash", "-c", SCRIPT, "floor", Integer.toString(n))
                        .redirectErrorStream(true);
                builder.environment().put("PATH", System.getenv("PATH") + ":/usr/sbin:/sbin");
                Process process = builder.start();
                String pid = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                process.waitFor();
                if (!pid.matches("\\d+")) {
                    throw new IllegalStateException(
                            "floor boot failed: " + pid + " " + read(bundle.resolve("init.log")));
                }
                awaitGuest(pid); // running means the guest agent listens, as the agent's Boot waits for its answer
                millis[i] = (System.nanoTime() - start) / 1e6;
                destroy(n);
            }
            return millis;
        }

        /**
         * Until the guest agent under the init (tini) listens on its port in the sandbox's network
         * namespace (the agent's Boot waits for its answer, one HTTP round trip more).
         */
        private static void awaitGuest(String pid) {
            Path children = Path.of("/proc", pid, "task", pid, "children");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (String child : read(children).trim().split(" ")) {
                    if (!child.isEmpty()
                            && read(Path.of("/proc", child, "net/tcp")).contains(":C33F 00000000:0000 0A")) {
                        return;
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
            throw new IllegalStateException("the floor's guest agent did not listen within 30 s");
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException gone) {
                return "";
            }
        }

        private static void destroy(int i) throws IOException, InterruptedException {
            String cg = "chaser/bench-floor/" + i;
            new ProcessBuilder("bash", "-c", "runc --root " + RUNC_ROOT + " delete --force floor-" + i + "; "
                    + "ip netns delete chaser-bench-" + i + "; for c in memory pids cpu; do d=/sys/fs/cgroup/$c/" + cg
                    + "; for k in $(seq 100); do [ -d $d ] || break; rmdir $d 2>/dev/null && break; sleep 0.01; done; done")
                    .inheritIO().start().waitFor();
        }
    }
}
