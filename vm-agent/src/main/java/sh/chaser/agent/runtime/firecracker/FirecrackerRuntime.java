package sh.chaser.agent.runtime.firecracker;

import java.nio.file.Files;
import java.nio.file.Path;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.RuntimeHandle;
import sh.chaser.agent.runtime.microvm.MicroVmHost;
import sh.chaser.agent.runtime.microvm.MicroVmRuntime;

/**
 * MicroVMs with Firecracker (KVM hosts) on the parts every microVM runtime shares
 * ({@link MicroVmHost}: the platform's initramfs and guest agent, the image's erofs root, the
 * workspace's ext4 image, the tap and firewall, the cgroup). Firecracker announces its
 * virtio-mmio devices on the kernel command line, so its kernel needs
 * {@code CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES} (Debian's lacks it): {@link #kernel} says where it is
 * looked for, {@code vm-agent/guest/vm/build-firecracker-kernel} makes one. Firecracker always runs
 * under its jailer ({@link FirecrackerVmm}).
 */
public final class FirecrackerRuntime extends MicroVmRuntime {

    public static final String NAME = "firecracker";
    private final FirecrackerVmm vmm;
    private final String bootArgs;

    public FirecrackerRuntime(MicroVmHost host, AgentConfig.Firecracker config, Path kernel) {
        this(host, new FirecrackerVmm(config.jailer().orElseThrow(), config.binary().orElseThrow(), kernel,
                Path.of(config.chrootBase())), config.bootArgs());
    }

    private FirecrackerRuntime(MicroVmHost host, FirecrackerVmm vmm, String bootArgs) {
        super(host, vmm, FirecrackerVmm.PID_FILE);
        this.vmm = vmm;
        this.bootArgs = bootArgs;
    }

    /** The guest kernel: chaser.agent.firecracker.kernel, else {@code <image cache>/firecracker/vmlinux}. */
    public static Path kernel(AgentConfig.Firecracker config, Path imageCache) {
        return config.kernel().map(Path::of).orElse(imageCache.resolve("firecracker/vmlinux"));
    }

    /** Firecracker needs a usable KVM ({@link sh.chaser.agent.runtime.Kvm}), its binary,
            its jailer and a kernel it can boot. */
    public static boolean usable(AgentConfig.Firecracker config, Path kernel) {
        return usable(config, kernel, Path.of("/proc/cpuinfo"));
    }

    public static boolean usable(AgentConfig.Firecracker config, Path kernel, Path cpuinfo) {
        if (!executable(config.binary()) || !executable(config.jailer()) || !Files.isRegularFile(kernel)) {
            return false;
        }
        return sh.chaser.agent.runtime.Kvm.usable(Path.of(config.kvmDevice()), cpuinfo);
    }

    private static boolean executable(java.util.Optional<String> path) {
        return path.isPresent() && Files.isExecutable(Path.of(path.get()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "microVMs (Firecracker with KVM)";
    }

    @Override
    protected String consoleArgs() {
        return bootArgs;
    }

    /** The VM's API socket, in its jail. */
    public Path apiSocket(String sessionId) {
        return vmm.apiSocket(sessionId);
    }

    /** The root the jailed firecracker sees as {@code /}; the API's paths are relative to it (snapshots too). */
    public Path jailRoot(String sessionId) {
        return vmm.jailRoot(sessionId);
    }

    @Override
    public RuntimeHandle boot(SandboxRecord record, Journal journal) {
        return super.boot(record, journal).with("api_socket", apiSocket(record.sessionId()).toString());
    }

    public void pauseVcpus(SandboxRecord record) {
        FirecrackerSnapshots.pauseVcpus(api(record));
    }

    public void resumeVcpus(SandboxRecord record) {
        FirecrackerSnapshots.resumeVcpus(api(record));
    }

    /** A full snapshot of a paused microVM: its state file and its memory file, as paths in its jail. */
    public void snapshot(SandboxRecord record, Path stateFile, Path memoryFile) {
        FirecrackerSnapshots.create(api(record), stateFile.toString(), memoryFile.toString());
    }

    /** Loads a snapshot into a fresh firecracker process (nothing configured yet) and resumes it. */
    public void load(Path socket, Path stateFile, Path memoryFile) {
        FirecrackerSnapshots.load(new FirecrackerApi(socket), stateFile.toString(), memoryFile.toString());
    }

    private FirecrackerApi api(SandboxRecord record) {
        return new FirecrackerApi(apiSocket(record.sessionId()));
    }
}
