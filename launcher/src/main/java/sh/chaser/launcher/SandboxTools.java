package sh.chaser.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host tools the vm-agent's runtimes run (runc, tini, iptables; Chromium for browser sessions;
 * QEMU, erofs-utils, busybox, cpio and kmod for microVMs). Installed with
 * apt-get when missing and the launcher runs as root on Debian; otherwise the agent starts anyway
 * and its Boot answers runtime_unavailable, naming what is missing.
 */
final class SandboxTools {

    private static final List<String> TOOLS = List.of("runc", "tini-static", "iptables-restore", "ip6tables-restore",
            "ip", "mkfs.btrfs",
            "debootstrap", "skopeo", "umoci", "git", "chromium", "qemu-system-x86_64", "mkfs.erofs", "busybox", "cpio",
            "modprobe");

    private SandboxTools() {}

    static void ensure() throws IOException, InterruptedException {
        List<String> missing = TOOLS.stream().filter(tool -> !installed(tool)).toList();
        if (missing.isEmpty()) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !installed("apt-get")) {
            System.out.println("  ! sandboxes need " + missing + " (Debian: apt-get install runc tini iptables "
                    + "iproute2 util-linux) and root; the vm-agent starts but cannot boot sandboxes");
            return;
        }
        System.out.println(
                "  installing the vm-agent's tools (runc, tini, iptables, btrfs-progs, debootstrap, skopeo, umoci, git,"
                        + " chromium for browser sessions, qemu and erofs-utils for microVMs) ...");
        if (aptGet("install") != 0 && (aptGet("update") != 0 || aptGet("install") != 0)) {
            System.out.println("  ! apt-get install failed; try: apt-get update && apt-get install runc tini iptables");
        }
    }

    private static int aptGet(String verb) throws IOException, InterruptedException {
        List<String> command = verb.equals("update")
                ? List.of("apt-get", "update", "-q")
                : List.of("apt-get", "install", "-y", "-q", "runc", "tini", "iptables", "iproute2", "util-linux",
                        "btrfs-progs", "debootstrap", "skopeo", "umoci", "git", "chromium",
                        // the qemu runtime's: microVMs, their root images and initramfs
                        "qemu-system-x86", "erofs-utils", "busybox-static", "cpio", "kmod");
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        return builder.start().waitFor();
    }

    private static boolean installed(String tool) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
