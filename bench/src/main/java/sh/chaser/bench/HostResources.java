package sh.chaser.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What sandboxes hold on this host, counted: cgroups, network namespaces, veths, firewall rules,
 * loop devices, btrfs subvolumes, and the agent's per-sandbox files (records, scratch space,
 * command output). A count that stays above its value before a run once teardown has settled is a leak.
 */
final class HostResources {

    private final Path agentData;

    HostResources(Path agentData) {
        this.agentData = agentData;
    }

    Map<String, Long> count() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("cgroups (chaser)", dirs(Path.of("/sys/fs/cgroup"), "chaser"));
        counts.put("network namespaces", lines("ip", "netns", "list"));
        counts.put("veth devices (chv*)", lines("sh", "-c", "ip -o link show | grep ': chv' || true"));
        counts.put("iptables rules", number("sh", "-c", "iptables-save | grep -c '^-A' || true"));
        counts.put("ip6tables rules", number("sh", "-c", "ip6tables-save | grep -c '^-A' || true"));
        counts.put("loop devices", lines("losetup", "-a"));
        counts.put("btrfs subvolumes", number("sh", "-c", "findmnt -rn -t btrfs -o TARGET | while read m; do"
                + " btrfs subvolume list -o \"$m\" 2>/dev/null; done | wc -l"));
        counts.put("sandbox records", entries(agentData.resolve("sandboxes")));
        counts.put("scratch disks", entries(agentData.resolve("disk-store/scratch")));
        counts.put("command output dirs", entries(agentData.resolve("commands")));
        counts.put("mounts", lines("cat", "/proc/self/mounts"));
        counts.put("vm-agent threads", agentPid() == 0 ? 0 : entries(Path.of("/proc/" + agentPid() + "/task")));
        counts.put("vm-agent open files", agentPid() == 0 ? 0 : entries(Path.of("/proc/" + agentPid() + "/fd")));
        return counts;
    }

    /** Counts again until no count is above {@code before} or {@code seconds} have passed. */
    Map<String, Long> settled(Map<String, Long> before, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Map<String, Long> now = count();
        while (System.nanoTime() < deadline && now.entrySet().stream()
                .anyMatch(e -> e.getValue() > before.getOrDefault(e.getKey(), 0L))) {
            Thread.sleep(2000);
            now = count();
        }
        return now;
    }

    private long agentPid() {
        try {
            return Long.parseLong(Files.readString(agentData.getParent().resolve("run/vm-agent.pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static long dirs(Path root, String named) throws IOException {
        try (Stream<Path> all = Files.walk(root, 4)) {
            return all.filter(p -> p.getFileName() != null && p.toString().contains("/" + named))
                    .filter(Files::isDirectory).count();
        } catch (java.io.UncheckedIOException e) {
            return -1;
        }
    }

    private static long entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> all = Files.list(dir)) {
            return all.count();
        }
    }

    private static long lines(String... command) throws Exception {
        return run(command).lines().filter(l -> !l.isBlank()).count();
    }

    private static long number(String... command) throws Exception {
        String out = run(command).strip();
        return out.isEmpty() ? 0 : Long.parseLong(out.lines().reduce((a, b) -> b).orElse("0").strip());
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
