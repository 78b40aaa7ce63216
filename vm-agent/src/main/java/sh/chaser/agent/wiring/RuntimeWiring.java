package sh.chaser.agent.wiring;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.agent.application.HostIdentity;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.agent.disk.DiskStore;
import sh.chaser.agent.disk.DiskStores;
import sh.chaser.agent.disk.GitImport;
import sh.chaser.agent.domain.Limits;
import sh.chaser.agent.guest.GuestBinary;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.host.HostDirectories;
import sh.chaser.agent.host.SandboxPaths;
import sh.chaser.agent.image.ImageStore;
import sh.chaser.agent.persistence.SandboxJournal;
import sh.chaser.agent.runtime.UnavailableRuntime;
import sh.chaser.agent.runtime.VmRuntime;
import sh.chaser.agent.runtime.firecracker.FirecrackerRuntime;
import sh.chaser.agent.runtime.namespace.Cgroups;
import sh.chaser.agent.runtime.namespace.EgressPolicy;
import sh.chaser.agent.runtime.namespace.NamespaceRuntime;
import sh.chaser.agent.runtime.namespace.SandboxFirewall;
import sh.chaser.agent.runtime.namespace.SandboxNetwork;

/** Chooses and builds the runtime driver from configuration and what the host offers. */
@ApplicationScoped
public class RuntimeWiring {

    private static final Logger LOG = Logger.getLogger(RuntimeWiring.class);

    @Produces
    @Singleton
    DiskStore disks(AgentConfig config) {
        var disks = config.disks();
        HostDirectories.secureDataDir(Path.of(config.dataDir()).toAbsolutePath());
        return DiskStores.open(Path.of(config.dataDir()).toAbsolutePath(), disks.mode(), disks.loopFileBytes(),
                disks.capBytes());
    }

    @Produces
    @Singleton
    ImageStore images(AgentConfig config) {
        var images = config.images();
        Path cache = Path.of(images.cacheDir());
        try {
            java.nio.file.Files.createDirectories(cache);
        } catch (java.io.IOException | SecurityException e) {
            cache = Path.of(config.dataDir()).toAbsolutePath().resolve("images");
        }
        if (!java.nio.file.Files.isWritable(cache)) {
            cache = Path.of(config.dataDir()).toAbsolutePath().resolve("images");
        }
        sh.chaser.agent.host.Files2.createDirectories(cache);
        HostDirectories.passable(cache);
        if (HostDirectories.canMount()) {
            // host-wide and shared by agents: it stays mounted so, like the images in it
            HostDirectories.nosuidNodev(cache);
        }
        return new ImageStore(cache, images.defaultImage(), images.debianMirror(), images.insecureRegistries());
    }

    @Produces
    @Singleton
    GitImport gitImport(AgentConfig config, DiskStore disks) {
        return new GitImport(disks, config.git().baseUrl());
    }

    @Produces
    @Singleton
    @Startup
    Sandboxes sandboxes(AgentConfig config, HostIdentity identity, DiskStore disks, ImageStore images) {
        SandboxPaths paths = new SandboxPaths(Path.of(config.dataDir()).toAbsolutePath());
        if (!identity.hostId().matches("[A-Za-z0-9._-]{1,63}")) {
            throw new IllegalArgumentException("chaser.agent.host-id must be 1-63 letters, digits, '.', '_' or '-': "
                    + identity.hostId());
        }
        List<VmRuntime> all = new ArrayList<>();
        VmRuntime namespace = namespace(config, identity, paths, disks, images);
        all.add(namespace);
        VmRuntime active = switch (config.runtime()) {
            case "namespace" -> namespace;
            case "qemu" -> added(all,
                    MicroVmWiring.qemu(config, identity.hostId(), paths, disks, images, namespace, defaults(config)));
            case "firecracker" ->
                added(all, MicroVmWiring.firecracker(config, identity.hostId(), paths, disks, images, namespace,
                        defaults(config)));
            case "auto" -> FirecrackerRuntime.usable(config.firecracker(),
                    FirecrackerRuntime.kernel(config.firecracker(),
                            images.cacheDir()))
                                    ? added(all,
                                            MicroVmWiring.firecracker(config, identity.hostId(), paths, disks, images,
                                                    namespace, defaults(config)))
                                    : sh.chaser.agent.runtime.Kvm.usable(Path.of("/dev/kvm"))
                                            ? added(all,
                                                    MicroVmWiring.qemu(config, identity.hostId(), paths, disks, images,
                                                            namespace, defaults(config)))
                                            : namespace;
            default -> throw new IllegalArgumentException(
                    "chaser.agent.runtime must be auto, namespace, qemu or firecracker, not " + config.runtime());
        };
        if (active instanceof UnavailableRuntime unavailable) {
            LOG.errorf("runtime %s unavailable: %s; Boot will fail with runtime_unavailable",
                    unavailable.name(), unavailable.reason());
        } else {
            LOG.infof("runtime %s", active.name());
        }
        List<String> also = config.alsoOffer().orElse(List.of());
        for (String name : also) {
            if (all.stream().noneMatch(r -> r.name().equals(name))) {
                switch (name) {
                    case "qemu" ->
                        all.add(MicroVmWiring.qemu(config, identity.hostId(), paths, disks, images, namespace,
                                defaults(config)));
                    case "firecracker" ->
                        all.add(MicroVmWiring.firecracker(config, identity.hostId(), paths, disks, images,
                                namespace, defaults(config)));
                    default -> throw new IllegalArgumentException(
                            "chaser.agent.also-offer lists namespace, qemu or firecracker, not " + name);
                }
            }
            all.stream().filter(r -> r.name().equals(name) && r instanceof UnavailableRuntime).findFirst().ifPresent(
                    r -> LOG.warnf("runtime %s is not offered: %s", name, ((UnavailableRuntime) r).reason()));
        }
        Sandboxes sandboxes = new Sandboxes(new SandboxJournal(paths), active, all, also, config.sandboxesMax());
        sandboxes.diskReleaseWait(config.diskReleaseWait());
        return sandboxes;
    }

    private static VmRuntime namespace(AgentConfig config, HostIdentity identity, SandboxPaths paths, DiskStore disks,
            ImageStore images) {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (network namespaces, cgroups)");
        }
        for (String tool : List.of("runc", "tini-static", "ip", "iptables-restore", "ip6tables-restore", "setsid")) {
            if (!onPath(tool)) {
                missing.add(tool);
            }
        }
        var cgroups = Cgroups.detect(Path.of("/sys/fs/cgroup"));
        if (cgroups.isEmpty()) {
            missing.add("cgroup controllers memory, cpu and pids (v1 or v2)");
        }
        if (!missing.isEmpty()) {
            return new UnavailableRuntime(NamespaceRuntime.NAME, "missing " + String.join(", ", missing)
                    + " (./chaser up installs runc, tini and iptables with apt-get)");
        }
        var network = config.network();
        var firewall = new SandboxFirewall(network.cidr(), EgressPolicy.of(network.egress(), network.denyCidrs(),
                network.allowCidrs(), network.connectionsMax()), network.firewallRecheck());
        firewall.applyHost();
        LOG.infof(
                "namespace runtime: runc (own user namespace, no capabilities, seccomp), cgroup %s, sandbox network %s",
                cgroups.get().version(), network.cidr());
        Path guest = GuestBinary.find(config.guest().binary()).map(found -> GuestBinary.install(found, paths.dataDir()))
                .orElse(null);
        if (guest == null) {
            return new UnavailableRuntime(NamespaceRuntime.NAME, "missing the guest agent (chaser-guest): build it with"
                    + " ./mvnw package -pl vm-agent, or set chaser.agent.guest.binary");
        }
        return new NamespaceRuntime(identity.hostId(), paths, images,
                new SandboxNetwork(Path.of(network.claimDir()), network.cidr(), firewall), cgroups.get(),
                defaults(config), network.warm(), disks,
                new NamespaceRuntime.GuestSetup(guest, config.guest().port(), config.defaults().commandOutputBytes()));
    }

    private static VmRuntime added(List<VmRuntime> all, VmRuntime runtime) {
        all.add(runtime);
        return runtime;
    }

    private static Limits defaults(AgentConfig config) {
        var defaults = config.defaults();
        return new Limits(defaults.vcpus(), defaults.memoryBytes(), defaults.maxProcesses());
    }

    private static boolean onPath(String tool) {
        return Commands.executable(tool).startsWith("/");
    }
}
