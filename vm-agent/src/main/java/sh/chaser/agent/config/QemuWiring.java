package sh.chaser.agent.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.agent.disk.DiskStore;
import sh.chaser.agent.domain.Limits;
import sh.chaser.agent.image.ImageStore;
import sh.chaser.agent.runtime.Commands;
import sh.chaser.agent.runtime.SandboxPaths;
import sh.chaser.agent.runtime.UnavailableRuntime;
import sh.chaser.agent.runtime.VmRuntime;
import sh.chaser.agent.runtime.namespace.NamespaceRuntime;
import sh.chaser.agent.runtime.qemu.QemuRuntime;

/** The {@code qemu} runtime when this host can run it, else what it lacks. */
final class QemuWiring {

    private static final Logger LOG = Logger.getLogger(QemuWiring.class);

    private QemuWiring() {
    }

    static VmRuntime qemu(AgentConfig config, String hostId, SandboxPaths paths, DiskStore disks, ImageStore images,
            VmRuntime namespace, Limits defaults) {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("qemu-system-x86_64", "mkfs.erofs", "mkfs.ext4", "busybox", "cpio", "modprobe")) {
            if (!Commands.executable(tool).startsWith("/")) {
                missing.add(tool);
            }
        }
        var script = sh.chaser.agent.runtime.qemu.QemuRuntime.buildScript();
        if (script.isEmpty()) {
            missing.add("vm-agent/guest/vm/build-guest");
        }
        if (!(namespace instanceof NamespaceRuntime sandboxes)) {
            missing.add("what the namespace runtime needs for the sandbox network (" + namespace.name() + " is unavailable)");
        }
        if (!missing.isEmpty()) {
            return new UnavailableRuntime(QemuRuntime.NAME, "missing " + String.join(", ", missing)
                    + " (apt-get install qemu-system-x86 erofs-utils busybox-static cpio kmod)");
        }
        boolean kvm = sh.chaser.agent.runtime.Kvm.usable(Path.of("/dev/kvm"));
        LOG.infof("qemu runtime: microVMs with %s, guest agent on port %d", kvm ? "KVM" : "TCG (no usable /dev/kvm: slow,"
                + " about 4 s to boot)", config.guest().port());
        NamespaceRuntime sandboxes = (NamespaceRuntime) namespace;
        return new QemuRuntime(hostId, paths, images, sandboxes.network(), sandboxes.cgroups(), defaults, disks,
                new QemuRuntime.Setup(script.get(), sandboxes.guestBinary(), images.cacheDir(), config.guest().port(), kvm,
                        config.disks().capBytes()));
    }
}
