package sh.chaser.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "chaser.agent")
public interface AgentConfig {

    /** This host's id in the registry; the machine's hostname when empty. Letters, digits, '.', '_', '-'. */
    Optional<String> hostId();

    /**
     * The address session-service and the gateway use to reach this agent's gRPC API;
     * {@code <quarkus.http.host>:<quarkus.http.port>} when empty.
     */
    Optional<String> advertiseAddress();

    /** Where the agent keeps sandboxes' state, root filesystems and workspace disks. */
    @WithDefault(".chaser/agent")
    String dataDir();

    /** How many sandboxes this host runs at most; Boot beyond it fails with host_full. */
    @WithDefault("16")
    int sandboxesMax();

    /**
     * The file holding the installation's host join token ({@code CHASER_HOST_JOIN_TOKEN_FILE}),
     * presented when registering; the credential the registry issues is kept in the data directory.
     */
    Optional<String> joinTokenFile();

    /** Pause between registration attempts while session-service is unreachable. */
    @WithDefault("1")
    int registerRetrySeconds();

    /**
     * The isolation driver: {@code namespace}, {@code qemu} (microVMs: KVM where /dev/kvm is usable,
     * TCG otherwise), {@code firecracker}, or {@code auto} (firecracker when /dev/kvm is usable and
     * a binary is configured, else qemu when /dev/kvm is usable, else namespace).
     */
    @WithDefault("auto")
    String runtime();

    /**
     * Runtimes this host also runs when a session asks for one by name (namespace, qemu,
     * firecracker), beside the default {@link #runtime()}; those it cannot run are left out.
     * Empty by default: the operator decides whether tenants may pick another isolation.
     */
    java.util.Optional<java.util.List<String>> alsoOffer();

    /**
     * The VMM of the microVM on network slot n runs as uid and gid {@code vm-id-base + n} (QEMU once
     * it has opened its files, Firecracker under its jailer): no host user, no sandbox id
     * ({@link sh.chaser.agent.host.SandboxIds}), no other VM. Reserve the range for Chaser.
     */
    @WithDefault("1999000000")
    long vmIdBase();

    /**
     * How long a boot of a workspace's sandbox waits while another sandbox of this host still has
     * the workspace's disk (typically one being destroyed); then it is refused {@code disk_in_use}.
     */
    @WithDefault("60s")
    Duration diskReleaseWait();

    /** How often the reconcile loop compares desired and real state. */
    @WithDefault("2s")
    Duration reconcileInterval();

    /**
     * Whether a graceful shutdown destroys the sandboxes. Off by default so a restarted agent
     * adopts them. A file {@code destroy-sandboxes-on-stop} in the data directory asks the same of
     * one shutdown ({@code ./chaser down --destroy-sandboxes} writes it).
     */
    @WithDefault("false")
    boolean stopSandboxesOnShutdown();

    Defaults defaults();

    Guest guest();

    DataPlane dataPlane();

    Network network();

    Firecracker firecracker();

    Disks disks();

    Git git();

    Images images();

    interface DataPlane {

        /**
         * The public key (PEM) of the internal JWT the gateway signs each session request's token
         * with. Without one the data plane serves no session: nothing unsigned is ever served.
         */
        Optional<String> tokenPublicKey();
    }

    interface Images {

        /**
         * What the image {@code base} is: {@code debian} (a debootstrap root, made once per host)
         * or {@code host} (the host's /usr read-only; also the fallback when debootstrap fails).
         */
        @WithDefault("debian")
        String defaultImage();

        /** Host-wide cache of prepared and pulled images; the data directory's when not writable. */
        @WithDefault("/var/cache/chaser/images")
        String cacheDir();

        @WithDefault("http://deb.debian.org/debian")
        String debianMirror();

        /** Registries reached over plain HTTP, e.g. a local one. */
        @WithDefault("localhost,127.0.0.1")
        java.util.Set<String> insecureRegistries();
    }

    interface Git {

        /**
         * Where ImportGit's {@code owner/name} is looked up: any URL git accepts (https, git, ssh,
         * file). {@code CHASER_GIT_BASE_URL} sets it; self-hosted Git servers work the same way.
         */
        @WithDefault("https://github.com")
        String baseUrl();
    }

    interface Disks {

        /**
         * {@code auto}: btrfs when the data directory is on btrfs or a btrfs file can be made and
         * loop-mounted (root), plain copies otherwise; {@code btrfs}; {@code copy}.
         */
        @WithDefault("auto")
        String mode();

        /** Size of the sparse btrfs file made when the data directory is not on btrfs. */
        @WithDefault("68719476736")
        long loopFileBytes();

        /** Each disk's cap; writes beyond it fail inside the sandbox (btrfs quota). */
        @WithDefault("10737418240")
        long capBytes();
    }

    /** Limits of a sandbox whose Boot request leaves them at zero. */
    interface Defaults {

        @WithDefault("1")
        int vcpus();

        @WithDefault("536870912")
        long memoryBytes();

        @WithDefault("512")
        int maxProcesses();

        /**
         * The output a background command keeps on the host's disk; beyond it the rest is read and
         * dropped after a marker, so one command cannot fill the host's disk.
         */
        @WithDefault("268435456")
        long commandOutputBytes();

        /**
         * The output all background commands of one session keep on the host's disk together (the
         * oldest finished commands are forgotten past 256, giving their bytes back).
         */
        @WithDefault("1073741824")
        long sessionOutputBytes();
    }

    interface Guest {

        /**
         * The {@code chaser-guest} binary every sandbox runs (vm-agent/guest); when empty, the one
         * the build put beside the agent ({@code target/guest/chaser-guest}).
         */
        Optional<String> binary();

        /** The port it listens on at the sandbox's address (only the host may call it, with the sandbox's token). */
        @WithDefault("49983")
        int port();
    }

    interface Network {

        /** IPv4 range sandboxes take their /30 links from. */
        @WithDefault("10.213.0.0/16")
        String cidr();

        /** Whether sandboxes reach networks beyond the host (NAT); the host itself never. */
        @WithDefault("true")
        boolean egress();

        /**
         * IPv4 networks sandboxes never reach, even with egress on (comma-separated CIDRs). Unset:
         * {@link sh.chaser.agent.runtime.namespace.EgressPolicy#DEFAULT_DENY} (private, CGNAT,
         * loopback, link-local and metadata, multicast, reserved and documentation ranges). Set, it
         * replaces that list (on Kubernetes: also the cluster's pod, service and node ranges).
         */
        Optional<java.util.List<String>> denyCidrs();

        /** Networks sandboxes may reach although a denied range contains them (an operator's exceptions). */
        Optional<java.util.List<String>> allowCidrs();

        /** Connections a sandbox may have open through the host at once (new ones beyond are refused). */
        @WithDefault("512")
        int connectionsMax();

        /**
         * How often the reconcile loop checks that the host's sandbox rules and the egress rules inside
         * every sandbox's namespace are still in place (and puts back what is not).
         */
        @WithDefault("30s")
        java.time.Duration firewallRecheck();

        /** Network namespaces kept ready ahead of boots (0: each boot makes its own). */
        @WithDefault("4")
        int warm();

        /** Host-wide directory of network slot claims, shared by every agent on the host. */
        @WithDefault("/run/chaser/net")
        String claimDir();
    }

    interface Firecracker {

        /** Path of the firecracker binary; the driver is offered only when set. */
        Optional<String> binary();

        /**
         * Uncompressed guest kernel (vmlinux) with CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES (Debian's lacks it;
         * vm-agent/guest/vm/build-firecracker-kernel makes one); unset: {@code <image cache>/firecracker/vmlinux}.
         */
        Optional<String> kernel();

        /** Firecracker's own console and panic arguments; the guest's come after them. */
        @WithDefault("console=ttyS0 reboot=k panic=1 pci=off")
        String bootArgs();

        @WithDefault("/dev/kvm")
        String kvmDevice();

        /**
         * Path of Firecracker's jailer (same release as the binary): every VM's firecracker runs under
         * it, chrooted, as a uid of its own; the runtime is not offered without it.
         */
        Optional<String> jailer();

        /**
         * Where the jailer builds each VM's chroot ({@code <base>/<binary's name>/<session>/root}): on
         * a filesystem mounted without nodev and noexec (the jail holds /dev/kvm and the binary), and
         * short, as the API socket's path in it holds at most 107 bytes.
         */
        @WithDefault("/srv/jailer")
        String chrootBase();
    }
}
