package sh.chaser.agent.runtime.qemu;

import java.util.Set;
import java.util.function.Supplier;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.RuntimeHandle;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.guest.GuestClient;
import sh.chaser.agent.runtime.VmRuntime;
import sh.chaser.agent.runtime.microvm.ClockHints;
import sh.chaser.agent.runtime.microvm.MicroVmHost;

/**
 * Sandboxes as QEMU microVMs ({@code -M microvm}; KVM where /dev/kvm is usable, TCG otherwise) on
 * the parts every microVM runtime shares ({@link MicroVmHost}). QEMU finds the virtio-mmio devices
 * through ACPI, so Debian's stock kernel boots; QEMU daemonizes, so VMs outlive the vm-agent,
 * which adopts them by pid and start time; it is stopped with QMP's quit.
 */
public final class QemuRuntime implements VmRuntime {

    public static final String NAME = "qemu";

    private final MicroVmHost host;
    private final QemuVmm vmm;
    private final boolean kvm;

    public QemuRuntime(MicroVmHost host, boolean kvm) {
        this.host = host;
        this.vmm = new QemuVmm(kvm);
        this.kvm = kvm;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return kvm ? "microVMs (QEMU with KVM)" : "microVMs (QEMU under TCG: no usable KVM here, so seconds per boot)";
    }

    @Override
    public void prepare() {
        host.prepare(NAME);
    }

    @Override
    public void check(SandboxSpec spec) {
        host.check(spec);
    }

    @Override
    public RuntimeHandle boot(SandboxRecord record, Journal journal) {
        return host.boot(record, journal, vmm, "console=ttyS0 panic=-1 quiet" + (kvm ? "" : " " + ClockHints.forTcg()));
    }

    @Override
    public GuestClient guest(SandboxRecord record) {
        return host.guest(record);
    }

    @Override
    public String address(SandboxRecord record) {
        return host.address(record);
    }

    @Override
    public sh.chaser.agent.runtime.ForwardTarget forwardTarget(SandboxRecord record, int port) {
        return host.forwardTarget(record, port);
    }

    @Override
    public boolean alive(SandboxRecord record) {
        return host.alive(record);
    }

    @Override
    public void destroy(SandboxRecord record) {
        host.destroy(record, vmm);
    }

    @Override
    public void sweepOrphans(Supplier<Set<String>> known) {
        host.sweepOrphans(known, vmm, QemuVm.PID_FILE);
    }
}
