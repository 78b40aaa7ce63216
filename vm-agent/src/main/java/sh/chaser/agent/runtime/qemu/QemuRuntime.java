package sh.chaser.agent.runtime.qemu;

import sh.chaser.agent.runtime.microvm.ClockHints;
import sh.chaser.agent.runtime.microvm.MicroVmHost;
import sh.chaser.agent.runtime.microvm.MicroVmRuntime;

/**
 * Sandboxes as QEMU microVMs ({@code -M microvm}; KVM where /dev/kvm is usable, TCG otherwise) on
 * the parts every microVM runtime shares ({@link MicroVmHost}). QEMU finds the virtio-mmio devices
 * through ACPI, so Debian's stock kernel boots; QEMU daemonizes, so VMs outlive the vm-agent,
 * which adopts them by pid and start time; it is stopped with QMP's quit.
 */
public final class QemuRuntime extends MicroVmRuntime {

    public static final String NAME = "qemu";
    private final boolean kvm;

    public QemuRuntime(MicroVmHost host, boolean kvm) {
        super(host, new QemuVmm(kvm), QemuVm.PID_FILE);
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
    protected String consoleArgs() {
        return "console=ttyS0 panic=-1 quiet" + (kvm ? "" : " " + ClockHints.forTcg());
    }
}
