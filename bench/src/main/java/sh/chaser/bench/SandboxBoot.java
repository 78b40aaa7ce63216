package sh.chaser.bench;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.DestroyRequest;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;
import sh.chaser.proto.vmagent.v1.VmState;

/**
 * Sandbox boot time through the vm-agent's gRPC API against the physical floor (the same
 * network namespace, veth pair, cgroups and bubblewrap, started by a shell script, both timed until
 * the sandbox's init runs), and the host
 * memory each idle sandbox costs.
 */
public final class SandboxBoot {

    private static final String HELP = """
            Usage: bench/sandbox-boot [--runs N] [--idle N]

            Needs a running platform whose vm-agent may run the idle sandboxes, e.g.
            (the floor runs from the agent's default image; CHASER_BENCH_ROOTFS overrides it)
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
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", agentPort).usePlaintext().build();
        var agent = VmAgentGrpc.newBlockingStub(channel);
        System.out.printf("vm-agent at 127.0.0.1:%d; %d boot/destroy cycles per side, warm-up 20%n", agentPort, runs);

        cycle(agent, 20);
        double[] viaAgent = cycle(agent, runs);
        // the agent's default image (prepared by the agent before it is ready)
        Path rootfs = Path.of(System.getenv().getOrDefault("CHASER_BENCH_ROOTFS",
                "/var/cache/chaser/images/debian-bookworm/rootfs"));
        Floor floor = new Floor(rootfs);
        floor.cycle(20);
        double[] direct = floor.cycle(runs);
        report("agent Boot (gRPC)", viaAgent);
        report("floor (ip + cgroup + bwrap)", direct);
        System.out.printf("ratio agent/floor: p50 %.2fx, p99 %.2fx%n", LocalInstall.percentile(viaAgent, 50) / LocalInstall.percentile(direct, 50),
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
        System.out.printf("%-30s p50 %7.2f ms   p99 %7.2f ms%n", name, LocalInstall.percentile(millis, 50), LocalInstall.percentile(millis, 99));
    }



    /** The same isolation, straight from a shell: what a sandbox boot cannot go below. */
    record Floor(Path rootfs) {

        private static final String SCRIPT = """
                i=$1; ns=chaser-bench-$i; cg=chaser/bench-floor/$i; a=10.214.$((i / 64)).$((i % 64 * 4))
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
                export CG="/sys/fs/cgroup/memory/$cg/cgroup.procs /sys/fs/cgroup/pids/$cg/cgroup.procs /sys/fs/cgroup/cpu/$cg/cgroup.procs"
                exec setsid sh -c 'for p in $CG; do echo $$ > $p; done; exec "$@" 3>&1 >/dev/null 2>&1' shim \\
                  nsenter --net=/run/netns/$ns -- bwrap --unshare-user --uid 1000 --gid 1000 --unshare-pid --unshare-ipc \\
                  --unshare-uts --unshare-cgroup-try --hostname floor --ro-bind "$ROOTFS" / \\
                  --proc /proc --dev /dev --tmpfs /tmp --bind /tmp /workspace --chdir /workspace --new-session \\
                  --info-fd 3 --clearenv --setenv PATH /usr/bin:/bin -- /usr/bin/sleep infinity
                """;

        double[] cycle(int runs) throws IOException, InterruptedException {
            double[] millis = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                var builder = new ProcessBuilder("bash", "-c", SCRIPT, "floor", Integer.toString(i % 1000))
                        .redirectErrorStream(true);
                builder.environment().put("ROOTFS", rootfs.toString());
                builder.environment().put("PATH", System.getenv("PATH") + ":/usr/sbin:/sbin");
                Process process = builder.start();
                String info = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                var pid = java.util.regex.Pattern.compile("\"child-pid\"\\s*:\\s*(\\d+)").matcher(info);
                if (!pid.find()) {
                    throw new IllegalStateException("floor boot failed: " + info);
                }
                awaitInit(pid.group(1), process); // running means the init runs, as the agent's Boot waits for
                millis[i] = (System.nanoTime() - start) / 1e6;
                destroy(i % 1000);
            }
            return millis;
        }

        /** Until bwrap has started its child (the init), polled as the agent polls it. */
        private static void awaitInit(String pid, Process bwrap) {
            Path children = Path.of("/proc", pid, "task", pid, "children");
            while (true) {
                if (!bwrap.isAlive()) {
                    throw new IllegalStateException("the floor's bwrap exited before its init ran");
                }
                for (String child : read(children).trim().split(" ")) {
                    if (!child.isEmpty() && read(Path.of("/proc", child, "comm")).strip().equals("sleep")) {
                        return;
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
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
            new ProcessBuilder("bash", "-c", "xargs -r kill -9 < /sys/fs/cgroup/pids/" + cg + "/cgroup.procs; "
                    + "ip netns delete chaser-bench-" + i + "; for c in memory pids cpu; do "
                    + "until rmdir /sys/fs/cgroup/$c/" + cg + " 2>/dev/null; do sleep 0.01; done; done")
                    .inheritIO().start().waitFor();
        }
    }
}
