package sh.chaser.agent.wiring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.agent.disk.DiskStore;
import sh.chaser.agent.domain.Limits;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.host.SandboxPaths;
import sh.chaser.agent.image.ImageStore;
import sh.chaser.agent.runtime.UnavailableRuntime;
import sh.chaser.agent.runtime.VmRuntime;
import sh.chaser.agent.runtime.firecracker.FirecrackerRuntime;
import sh.chaser.agent.runtime.microvm.MicroVmHost;
import sh.chaser.agent.runtime.namespace.NamespaceRuntime;
import sh.chaser.agent.runtime.qemu.QemuRuntime;

/** The microVM runtimes ({@code qemu}, {@code firecracker}) when this host can run them, else what they lack. */
final class MicroVmWiring {

    private static final Logger LOG = Logger.getLogger(MicroVmWiring.class);

    private MicroVmWiring() {}

    static VmRuntime qemu(AgentConfig config, String hostId, SandboxPaths paths, DiskStore disks, ImageStore images,
            VmRuntime namespace, Limits defaults) {
        List<String> missing = missing(namespace, "qemu-system-x86_64");
        if (!missing.isEmpty()) {
            return new UnavailableRuntime(QemuRuntime.NAME, "missing " + String.join(", ", missing)
                    + " (apt-get install qemu-system-x86 erofs-utils busybox-static cpio kmod)");
        }
        boolean kvm = sh.chaser.agent.runtime.Kvm.usable(Path.of("/dev/kvm"));
        LOG.infof("qemu runtime: microVMs with %s, guest agent on port %d",
                kvm
                        ? "KVM"
                        : "TCG (no usable /dev/kvm: slow,"
                                + " about 4 s to boot)",
                config.guest().port());
        return new QemuRuntime(host(config, hostId, paths, disks, images, namespace, defaults), kvm);
    }

    static VmRuntime firecracker(AgentConfig config, String hostId, SandboxPaths paths, DiskStore disks,
            ImageStore images,
            VmRuntime namespace, Limits defaults) {
        Path kernel = FirecrackerRuntime.kernel(config.firecracker(), images.cacheDir());
        List<String> missing = missing(namespace, "mkfs.erofs");
        if (!FirecrackerRuntime.usable(config.firecracker(), kernel)) {
            missing.add(0, "a usable " + config.firecracker().kvmDevice()
                    + " (KVM with vmx/svm), chaser.agent.firecracker.binary,"
                    + " chaser.agent.firecracker.jailer and a kernel with CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES at "
                    + kernel);
        }
        var jails = sh.chaser.agent.host.MountTable
                .containing(Path.of(config.firecracker().chrootBase()).toAbsolutePath());
        if (jails.has("nodev") || jails.has("noexec")) {
            missing.add("chaser.agent.firecracker.chroot-base on a filesystem mounted without nodev and noexec ("
                    + config.firecracker().chrootBase() + " is on " + jails.point() + ", mounted "
                    + String.join(",", jails.options()) + ")");
        }
        if (!missing.isEmpty()) {
            return new UnavailableRuntime(FirecrackerRuntime.NAME, "missing " + String.join(", ", missing));
        }
        LOG.infof(
                "firecracker runtime: microVMs with KVM, jailed under %s (uid %d + network slot), kernel %s, guest agent"
                        + " on port %d",
                config.firecracker().chrootBase(), config.vmIdBase(), kernel, config.guest().port());
        return new FirecrackerRuntime(host(config, hostId, paths, disks, images, namespace, defaults),
                config.firecracker(), kernel);
    }

    private static MicroVmHost host(AgentConfig config, String hostId, SandboxPaths paths, DiskStore disks,
            ImageStore images,
            VmRuntime namespace, Limits defaults) {
        NamespaceRuntime sandboxes = (NamespaceRuntime) namespace;
        return new MicroVmHost(hostId, paths, images, sandboxes.network(), sandboxes.cgroups(), defaults, disks,
                new MicroVmHost.Setup(MicroVmHost.buildScript().orElseThrow(), sandboxes.guestBinary(),
                        images.cacheDir(),
                        config.guest().port(), config.disks().capBytes(), config.vmIdBase()));
    }

    /** What every microVM runtime needs of this host and does not find. */
    private static List<String> missing(VmRuntime namespace, String vmm) {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of(vmm, "mkfs.erofs", "mkfs.ext4", "busybox", "cpio", "modprobe")) {
            if (!Commands.executable(tool).startsWith("/")) {
                missing.add(tool);
            }
        }
        if (MicroVmHost.buildScript().isEmpty()) {
            missing.add("vm-agent/guest/vm/build-guest");
        }
        if (!(namespace instanceof NamespaceRuntime)) {
            String why = namespace instanceof UnavailableRuntime u ? ": " + u.reason() : " is unavailable";
            missing.add("what the namespace runtime needs for the sandbox network (" + namespace.name() + why + ")");
        }
        return missing;
    }
}
