package sh.chaser.bench;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * MicroVM boot time through the vm-agent's gRPC API (the qemu runtime) against its floor: QEMU
 * started from here with the very command line the agent used for a VM (same kernel, initramfs,
 * erofs root, a workspace image, a tap), timed until the guest agent answers; and the host memory
 * each idle VM costs (QEMU's PSS, and the host's used memory).
 */
public final class MicroVmBoot {

    private static final String HELP = """
            Usage: bench/microvm-boot [--runs N] [--idle N]

            Needs a running platform whose vm-agent runs microVMs:
              ./chaser down; ./chaser up --runtime qemu
            Run as root (the floor makes a tap and starts QEMU itself).
            --runs N   boot+destroy cycles per side (default 20; under TCG each takes seconds)
            --idle N   idle VMs to start for the memory measurement (default 3; 0 skips it)
            Prints p50/p99 of boot-to-running for the agent and the floor, their ratio, and the host
            memory per idle VM.
            """;
    private static final Path DIR = Path.of("/var/tmp/chaser-bench-microvm");
    private static final String TAP = "chvbench";

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.print(HELP);
            return;
        }
        int runs = LocalInstall.option(a, "--runs", 20);
        int idle = LocalInstall.option(a, "--idle", 3);
        LocalInstall local = LocalInstall.read();
        ManagedChannel channel = local.agentChannel(InternalCallers.SESSION);
        var agent = VmAgentGrpc.newBlockingStub(channel);
        Path agentData = local.home().resolve("agent");
        System.out.printf("vm-agent at 127.0.0.1:%d; %d boot/destroy cycles per side, warm-up 2%n", local.agentPort(),
                runs);
        cycle(agent, 2);
        double[] viaAgent = cycle(agent, runs);
        List<String> template = template(agent, agentData);
        floor(template, 2);
        double[] direct = floor(template, runs);
        SandboxBoot.report("agent Boot (gRPC, qemu)", viaAgent);
        SandboxBoot.report("floor (QEMU from here)", direct);
        System.out.printf("ratio agent/floor: p50 %.2fx, p99 %.2fx%n", LocalInstall.percentile(viaAgent, 50)
                / LocalInstall.percentile(direct, 50),
                LocalInstall.percentile(viaAgent, 99) / LocalInstall.percentile(direct, 99));
        if (idle > 0) {
            idleMemory(local, idle);
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static double[] cycle(VmAgentGrpc.VmAgentBlockingStub agent, int runs) {
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            String id = UUID.randomUUID().toString();
            long start = System.nanoTime();
            var vm = boot(agent, id);
            millis[i] = (System.nanoTime() - start) / 1e6;
            destroy(agent, id);
        }
        return millis;
    }

    private static sh.chaser.proto.vmagent.v1.Vm boot(VmAgentGrpc.VmAgentBlockingStub agent, String id) {
        var vm = agent.withDeadlineAfter(180, TimeUnit.SECONDS).boot(BootRequest.newBuilder().setSessionId(id)
                .setSessionType("sandbox").build());
        if (vm.getState() != VmState.VM_STATE_RUNNING || !vm.getRuntime().equals("qemu")) {
            throw new IllegalStateException("not a running microVM (start the platform with --runtime qemu): " + vm);
        }
        return vm;
    }

    private static void destroy(VmAgentGrpc.VmAgentBlockingStub agent, String id) {
        agent.withDeadlineAfter(60, TimeUnit.SECONDS).destroy(DestroyRequest.newBuilder().setSessionId(id).build());
    }

    /** QEMU's command line for one VM the agent booted, read from /proc while it runs. */
    static List<String> template(VmAgentGrpc.VmAgentBlockingStub agent, Path agentData) throws IOException {
        String id = UUID.randomUUID().toString();
        boot(agent, id);
        try {
            String pid = Files.readString(agentData.resolve("sandboxes").resolve(id).resolve("qemu.pid")).strip();
            return List.of(Files.readString(Path.of("/proc", pid, "cmdline")).split("\0"));
        } finally {
            destroy(agent, id);
        }
    }

    private static String after(List<String> argv, String prefix) {
        String append = argv.get(argv.indexOf("-append") + 1);
        return Arrays.stream(append.split(" ")).filter(p -> p.startsWith(prefix)).findFirst().orElseThrow()
                .substring(prefix.length());
    }

    /** The same VM from here: a tap of its own, a workspace image made once, the agent's other disks. */
    static double[] floor(List<String> template, int runs) throws Exception {
        Files.createDirectories(DIR);
        Path workspace = DIR.resolve("ws.ext4");
        if (!Files.exists(workspace)) {
            sh("truncate -s 1G " + workspace + " && mkfs.ext4 -q -F -E root_owner=1000:1000 " + workspace);
        }
        String address = after(template, "chaser.ip=").replaceAll("/.*", "");
        String gateway = after(template, "chaser.gw=");
        String token = after(template, "chaser.token=");
        List<String> argv = new ArrayList<>();
        for (String arg : template) {
            argv.add(arg.replaceAll("ifname=[^,]+", "ifname=" + TAP)
                    .replaceAll("^id=ws,file=[^,]+", "id=ws,file=" + workspace)
                    .replaceAll("^file:.*console.log$", "file:" + DIR.resolve("console.log"))
                    .replaceAll("^unix:.*qmp.sock", "unix:" + DIR.resolve("qmp.sock"))
                    .replaceAll("^/.*/qemu.pid$", DIR.resolve("qemu.pid").toString()));
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest
                .newBuilder(URI.create("http://" + address + ":" + after(template, "chaser.port=")
                        + "/v1/ready"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(2)).build();
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            sh("ip link delete " + TAP + " 2>/dev/null; ip tuntap add dev " + TAP + " mode tap && ip addr add "
                    + gateway
                    + "/30 dev " + TAP + " && ip link set " + TAP + " up");
            Process qemu = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(qemu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (qemu.waitFor() != 0) {
                throw new IllegalStateException("QEMU did not start: " + out);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Path console = DIR.resolve("console.log");
            while (true) {
                // as the agent does: called once the guest's console says it serves (a connection tried
                // earlier waits on ARP for a second or more)
                boolean serving = Files.exists(console) && Files.readString(console, StandardCharsets.ISO_8859_1)
                        .contains("chaser-guest: serving on");
                try {
                    if (serving && http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // the guest is still booting
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the floor VM's agent did not answer within 120 s");
                }
                Thread.sleep(2);
            }
            millis[i] = (System.nanoTime() - start) / 1e6;
            sh("rm -f " + console + "; kill -9 $(cat " + DIR.resolve("qemu.pid") + "); while kill -0 $(cat "
                    + DIR.resolve("qemu.pid")
                    + ") 2>/dev/null; do sleep 0.05; done; ip link delete " + TAP);
        }
        return millis;
    }

    /**
     * Idle microVM sessions made through the gateway (a VM booted past session-service would be
     * reaped by its reconcile loop): QEMU's proportional set size each, and the host's used memory per VM.
     */
    static void idleMemory(LocalInstall local, int n) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<Long> before = qemuPids();
        long used = usedKb();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                var created = http.send(HttpRequest.newBuilder(URI.create(local.apiUrl() + "/v1/sessions"))
                        .header("Authorization", "Bearer " + local.apiKey()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"session_type\":\"sandbox\",\"ephemeral\":true}"))
                        .build(),
                        HttpResponse.BodyHandlers.ofString());
                String id = created.body().replaceAll("(?s).*?\"id\":\"([^\"]+)\".*", "$1");
                ids.add(id);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                while (!http.send(HttpRequest.newBuilder(URI.create(local.apiUrl() + "/v1/sessions/" + id))
                        .header("Authorization", "Bearer " + local.apiKey()).build(),
                        HttpResponse.BodyHandlers.ofString())
                        .body().contains("\"status\":\"running\"")) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("session " + id + " did not run: " + created.body());
                    }
                    Thread.sleep(200);
                }
            }
            Thread.sleep(5_000); // the guests settle after boot
            List<Long> vms = new ArrayList<>(qemuPids());
            vms.removeAll(before);
            long pss = 0;
            for (long pid : vms) {
                pss += Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup")).stream()
                        .filter(l -> l.startsWith("Pss:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                        .sum();
            }
            System.out.printf(
                    "idle microVMs: %d (guest RAM limit as configured); QEMU PSS %.1f MiB per VM; host used memory"
                            + " %.1f MiB per VM%n",
                    vms.size(), pss / 1024.0 / vms.size(), (usedKb() - used) / 1024.0 / vms.size());
        } finally {
            for (String id : ids) {
                http.send(HttpRequest.newBuilder(URI.create(local.apiUrl() + "/v1/sessions/" + id + "?force=true"))
                        .header("Authorization", "Bearer " + local.apiKey()).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    private static List<Long> qemuPids() throws IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return Files.readString(p.resolve("comm")).startsWith("qemu-system");
                } catch (IOException gone) {
                    return false;
                }
            }).map(p -> Long.parseLong(p.getFileName().toString())).toList();
        }
    }

    private static long usedKb() throws IOException {
        long total = 0;
        long available = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                total = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("MemAvailable:")) {
                available = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return total - available;
    }

    private static void sh(String script) throws IOException, InterruptedException {
        var builder = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        builder.environment().put("PATH", System.getenv("PATH") + ":/usr/sbin:/sbin");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(script + ": " + out);
        }
    }
}
