package sh.chaser.agent.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.runtime.Commands;

/**
 * One QEMU {@code -M microvm} process for a sandbox: the platform's kernel and initramfs, the
 * image's root as a read-only erofs disk (vda), the workspace's ext4 image (vdb), the guest
 * agent's token on a small read-only disk (vdc), for a browser a read-only layer over the root
 * (vdd, {@link BrowserLayer}; null otherwise), a tap, and QMP
 * on a socket. It daemonizes (a VM outlives the vm-agent that started it; the pid file says which
 * process it is) and writes its console to a file beside the sandbox's state.
 */
record QemuVm(Path dir, GuestVmImage.Files guest, Path root, Path layer, Path workspace, String tap, String address, String gateway,
        int port, String token, String hostname, sh.chaser.agent.domain.Limits limits, boolean kvm) {

    Path pidFile() {
        return dir.resolve("qemu.pid");
    }

    Path console() {
        return dir.resolve("console.log");
    }

    /** A 512-byte read-only disk (vdc) holding the guest agent's token, off the kernel command line. */
    Path config() {
        return dir.resolve("guest-config.img");
    }

    Path qmp() {
        return dir.resolve("qmp.sock");
    }

    List<String> command() {
        List<String> command = new java.util.ArrayList<>(List.of(Commands.executable("qemu-system-x86_64"),
                "-M", "microvm", "-accel", kvm ? "kvm" : "tcg,tb-size=64", "-cpu", kvm ? "host" : "max",
                "-m", Long.toString(QemuLimits.guestMemoryMiB(limits)), "-smp", Integer.toString(Math.max(1, limits.vcpus())),
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-serial", "file:" + console(),
                "-kernel", guest.kernel().toString(), "-initrd", guest.initramfs().toString(),
                "-append", kernelCommandLine(),
                "-object", "rng-random,id=rng0,filename=/dev/urandom", "-device", "virtio-rng-device,rng=rng0",
                "-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no", "-device", "virtio-net-device,netdev=n0",
                "-drive", "id=root,file=" + root + ",format=raw,if=none,readonly=on", "-device", "virtio-blk-device,drive=root",
                "-drive", "id=ws,file=" + workspace + ",format=raw,if=none", "-device", "virtio-blk-device,drive=ws",
                "-drive", "id=cfg,file=" + config() + ",format=raw,if=none,readonly=on", "-device", "virtio-blk-device,drive=cfg",
                "-qmp", "unix:" + qmp() + ",server=on,wait=off",
                "-pidfile", pidFile().toString(), "-daemonize"));
        if (layer != null) {
            command.addAll(List.of("-drive", "id=layer,file=" + layer + ",format=raw,if=none,readonly=on",
                    "-device", "virtio-blk-device,drive=layer"));
        }
        return command;
    }

    /** The guest's init reads its address, token, port and disks from here (vm-agent/guest/vm/init). */
    String kernelCommandLine() {
        return "console=ttyS0 panic=-1 quiet" + (kvm ? "" : " " + ClockHints.forTcg())
                + " chaser.ip=" + address + "/30 chaser.gw=" + gateway + " chaser.port=" + port
                + " chaser.config=vdc chaser.hostname=" + hostname + " chaser.root=erofs chaser.ws=vdb"
                + (limits.maxProcesses() > 0 ? " chaser.nproc=" + limits.maxProcesses() : "")
                // a browser: Chromium over the image, its DevTools (loopback only) relayed to the VM's address
                + (layer != null ? " chaser.layer=vdd chaser.relay=" + sh.chaser.contracts.DataPlaneContract.DEVTOOLS_PORT : "");
    }

    /** Starts the VM; its pid once QEMU has daemonized. */
    long start() {
        try {
            Files.deleteIfExists(pidFile());
            Files.deleteIfExists(qmp());
            byte[] block = new byte[512];
            byte[] secret = (token + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(secret, 0, block, 0, secret.length);
            Files.write(config(), block);
            Files.setPosixFilePermissions(config(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            var result = Commands.tryRun(command(), null);
            if (result.exit() != 0 || !Files.exists(pidFile())) {
                throw AgentError.BOOT_FAILED.exception("QEMU did not start: " + result.output().strip());
            }
            return Long.parseLong(Files.readString(pidFile()).strip());
        } catch (IOException e) {
            throw AgentError.BOOT_FAILED.exception("QEMU did not start: " + e.getMessage());
        }
    }

    /** Whether the console holds {@code text} yet (it is small: a guest's boot prints a few KiB). */
    boolean consoleSays(String text) {
        try {
            return Files.readString(console(), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** The last lines the guest printed (for a boot that failed). */
    String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(console());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }
}
