package sh.chaser.agent.runtime.microvm;

import java.util.Set;
import java.util.function.Supplier;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.RuntimeHandle;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.guest.GuestClient;
import sh.chaser.agent.runtime.ForwardTarget;
import sh.chaser.agent.runtime.VmRuntime;

/** A runtime of microVMs: the shared parts ({@link MicroVmHost}) with one VMM ({@link Vmm}) and its kernel arguments. */
public abstract class MicroVmRuntime implements VmRuntime {

    private final MicroVmHost host;
    private final Vmm vmm;
    private final String pidFile;
    private final MicroVmMoves moves;

    protected MicroVmRuntime(MicroVmHost host, Vmm vmm, String pidFile) {
        this.host = host;
        this.vmm = vmm;
        this.pidFile = pidFile;
        this.moves = host.moves();
    }

    /** The VMM's console, panic and clock arguments, in front of the guest's own. */
    protected abstract String consoleArgs();

    @Override
    public void prepare() {
        host.prepare(name());
    }

    @Override
    public void check(SandboxSpec spec) {
        host.check(spec);
    }

    @Override
    public RuntimeHandle boot(SandboxRecord record, Journal journal) {
        return host.boot(record, journal, vmm, consoleArgs());
    }

    @Override
    public RuntimeHandle pause(SandboxRecord record) {
        return host.pause(record, vmm);
    }

    @Override
    public RuntimeHandle resume(SandboxRecord record, Journal journal) {
        return host.resume(record, journal, vmm, consoleArgs());
    }

    @Override
    public void checkForkable(SandboxRecord parent) {
        host.checkForkable(parent, vmm);
    }

    @Override
    public RuntimeHandle fork(SandboxRecord parent, SandboxRecord child, Journal journal) {
        return host.fork(parent, child, journal, vmm, consoleArgs());
    }

    @Override
    public sh.chaser.agent.runtime.PausedMover mover() {
        if (!vmm.canFork()) { // a move starts the VM elsewhere with a new identity, as a fork does
            return VmRuntime.super.mover();
        }
        return moves;
    }

    @Override
    public boolean paused(SandboxRecord record) {
        return host.paused(record);
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
    public ForwardTarget forwardTarget(SandboxRecord record, int port) {
        return host.forwardTarget(record, port);
    }

    @Override
    public sh.chaser.agent.runtime.TcpTarget tcpTarget(SandboxRecord record, int port) {
        return host.tcpTarget(record, port);
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
        host.sweepOrphans(known, vmm, pidFile);
    }
}
