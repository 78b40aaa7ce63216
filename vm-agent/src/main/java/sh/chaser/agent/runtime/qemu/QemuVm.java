package sh.chaser.agent.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.runtime.microvm.VmParts;
import sh.chaser.agent.runtime.microvm.VmmLimits;

/**
 * One QEMU {@code -M microvm} process for a sandbox's {@link VmParts}: its disks as virtio-blk
 * devices in the guest's order, its tap, QMP on a socket. It daemonizes (a VM outlives the
 * vm-agent that started it; the pid file says which process it is) and writes its console to a
 * file beside the sandbox's state.
 */
record QemuVm(VmParts parts, boolean kvm, boolean incoming) {

    static final String PID_FILE = "qemu.pid";
    /** The name the guest agent finds its control port by ({@code -control}, vm-agent/guest/vm/init). */
    static final String CONTROL_PORT = "sh.chaser.ctl";
    private static final String EMPTY = "empty";

    static Path qmp(Path dir) {
        return dir.resolve("qmp.sock");
    }

    /** The VM's control port on the host: the guest agent's virtio-serial port (a fork's new identity). */
    static Path control(Path dir) {
        return dir.resolve("ctl.sock");
    }

    List<String> command() {
        Path dir = parts.dir();
        List<String> command = new ArrayList<>(List.of(Commands.executable("qemu-system-x86_64"),
                "-M", "microvm,memory-backend=mem0", "-accel", kvm ? "kvm" : "tcg,tb-size=64",
                "-cpu", kvm ? "host" : "max",
                "-m", VmmLimits.guestMemoryMiB(parts.limits()) + "M",
                // the guest's RAM in a file, shared: what a pause keeps, so it saves only the devices' state
                "-object", "memory-backend-file,id=mem0,size=" + VmmLimits.guestMemoryMiB(parts.limits())
                        + "M,mem-path=" + parts.memory() + ",share=on",
                "-smp", Integer.toString(Math.max(1, parts.limits().vcpus())),
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-serial", "file:" + parts.console(),
                "-kernel", parts.guest().kernel().toString(), "-initrd", parts.guest().initramfs().toString(),
                "-append", parts.bootArgs(),
                "-object", "rng-random,id=rng0,filename=/dev/urandom", "-device", "virtio-rng-device,rng=rng0",
                "-netdev", "tap,id=n0,ifname=" + parts.tap() + ",script=no,downscript=no",
                "-device", "virtio-net-device,netdev=n0,mac=" + parts.mac(),
                "-drive", "id=root,file=" + parts.root() + ",format=raw,if=none,readonly=on", "-device",
                "virtio-blk-device,drive=root",
                // auto-read-only=off: a migration's end (a pause) drops the write permission, and QEMU would
                // reopen the image read-only by its path, which its chroot hides; the fd it has stays
                "-drive", "id=ws,file=" + parts.workspace() + ",format=raw,if=none,auto-read-only=off", "-device",
                "virtio-blk-device,drive=ws",
                "-drive", "id=cfg,file=" + parts.config() + ",format=raw,if=none,readonly=on", "-device",
                "virtio-blk-device,drive=cfg",
                "-qmp", "unix:" + qmp(dir) + ",server=on,wait=off",
                "-pidfile", dir.resolve(PID_FILE).toString(), "-daemonize",
                // every file, the tap and the sockets are open by now: the VM runs as its own uid, rooted in an
                // empty directory, under a seccomp filter (elevateprivileges=deny cannot go with -daemonize)
                "-runas", parts.user() + ":" + parts.user(), "-chroot", dir.resolve(EMPTY).toString(),
                "-sandbox", "on,obsolete=deny,resourcecontrol=deny"));
        if (incoming) {
            command.addAll(List.of("-incoming", "defer"));
        }
        if (parts.layer() != null) {
            command.addAll(List.of("-drive", "id=layer,file=" + parts.layer() + ",format=raw,if=none,readonly=on",
                    "-device", "virtio-blk-device,drive=layer"));
        }
        if (parts.controlPort()) {
            // last, so the disks keep their places; on every VM from its boot: a saved state loads only into
            // the same devices. The socket is made before the chroot, root's (the vm-agent connects)
            command.addAll(List.of("-device", "virtio-serial-device", "-chardev",
                    "socket,id=ctl,path=" + control(dir) + ",server=on,wait=off", "-device",
                    "virtserialport,chardev=ctl,name=" + CONTROL_PORT));
        }
        return command;
    }

    /** The root QEMU changes into before the guest runs: empty, root's, nothing to read or write. */
    static Path emptyRoot(Path dir) {
        Path empty = dir.resolve(EMPTY);
        try {
            Files.createDirectories(empty);
            Files.setPosixFilePermissions(empty, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
            return empty;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts the VM (waiting for its saved state when {@code incoming}); its pid once QEMU has daemonized. */
    long start() {
        Path pidFile = parts.dir().resolve(PID_FILE);
        try {
            Files.deleteIfExists(pidFile);
            Files.deleteIfExists(qmp(parts.dir()));
            Files.deleteIfExists(control(parts.dir()));
            emptyRoot(parts.dir());
            var result = Commands.tryRun(command(), null);
            if (result.exit() != 0 || !Files.exists(pidFile)) {
                throw AgentError.BOOT_FAILED.exception("QEMU did not start: " + result.output().strip());
            }
            return Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException e) {
            throw AgentError.BOOT_FAILED.exception("QEMU did not start: " + e.getMessage());
        }
    }
}
