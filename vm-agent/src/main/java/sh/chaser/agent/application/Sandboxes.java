package sh.chaser.agent.application;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.AgentException;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.Desired;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.domain.SandboxStatus;
import sh.chaser.agent.domain.SessionEnvironment;
import sh.chaser.agent.guest.GuestClient;
import sh.chaser.agent.persistence.SandboxJournal;
import sh.chaser.agent.runtime.VmRuntime;

/**
 * The sandboxes of this host: desired state, recorded durably first, and the convergence of real
 * state towards it. Every change of one sandbox happens under that sandbox's lock, whether an RPC
 * or the reconcile loop drives it, so Boot, Destroy and the loop never interleave on one id.
 */
public final class Sandboxes {

    private static final Logger LOG = Logger.getLogger(Sandboxes.class);
    private final SandboxJournal journal;
    private final Map<String, VmRuntime> runtimes;
    private final VmRuntime active;
    private final List<String> offered;
    private final int max;
    private final Map<String, SandboxRecord> records = new ConcurrentHashMap<>();
    private final SandboxLocks locks = new SandboxLocks();
    private final SandboxForks forks = new SandboxForks(this);
    private final DiskHolders disks = new DiskHolders(records);
    private final Teardowns teardowns = new Teardowns();
    private final PauseSteps steps = new PauseSteps(this::save);
    private final MoveSteps moves = new MoveSteps(this);

    /** @param alsoOffered runtimes of {@code all} this host runs when a boot asks for them, beside {@code active} */
    public Sandboxes(SandboxJournal journal, VmRuntime active, List<VmRuntime> all, List<String> alsoOffered, int max) {
        this.journal = journal;
        this.active = active;
        this.runtimes = new ConcurrentHashMap<>();
        all.forEach(runtime -> runtimes.put(runtime.name(), runtime));
        runtimes.put(active.name(), active);
        List<String> names = new java.util.ArrayList<>(List.of(active.name()));
        alsoOffered.stream().filter(name -> !names.contains(name) && runtimes.containsKey(name)
                && !(runtimes.get(name) instanceof sh.chaser.agent.runtime.UnavailableRuntime)).forEach(names::add);
        this.offered = List.copyOf(names);
        this.max = max;
        journal.loadAll().forEach(record -> records.put(record.sessionId(), record));
    }

    /** {@code chaser.agent.disk-release-wait}: then a boot is refused {@code disk_in_use}. */
    public void diskReleaseWait(java.time.Duration wait) {
        disks.releaseWait(wait);
    }

    /** The runtime boots use when they name none. */
    public VmRuntime activeRuntime() {
        return active;
    }

    /** A runtime this agent knows by name (offered or not). */
    public java.util.Optional<VmRuntime> runtime(String name) {
        return java.util.Optional.ofNullable(runtimes.get(name));
    }

    /** The runtimes this host runs, its default first (what it registers). */
    public List<String> offered() {
        return offered;
    }

    /** Readies every offered runtime ahead of its first boot (a microVM's kernel and root disk). */
    public void prepare() {
        offered.forEach(name -> runtimes.get(name).prepare());
    }

    public SandboxRecord boot(SandboxSpec spec) {
        return boot(spec, "");
    }

    /**
     * Records the intent to run {@code spec} on {@code runtimeName} (empty: the default) and
     * converges; returns the sandbox as it then is. A repeated boot of a known id converges it
     * on the runtime it was first recorded with.
     */
    public SandboxRecord boot(SandboxSpec spec, String runtimeName) {
        return locked(spec.sessionId(), () -> {
            if (!records.containsKey(spec.sessionId())) {
                if (running() >= max) {
                    throw AgentError.HOST_FULL.exception("this host runs its maximum of " + max + " sandboxes");
                }
                VmRuntime runtime = runtimeName == null || runtimeName.isEmpty() ? active : runtimes.get(runtimeName);
                if (runtime == null || !offered.contains(runtime.name())) {
                    throw AgentError.RUNTIME_UNAVAILABLE.exception("this host does not run " + runtimeName
                            + " sandboxes (it runs " + String.join(", ", offered) + ")");
                }
                runtime.check(spec);
                // recorded (and listed, as booting) before the wait for the disk: a boot in flight is
                // never taken for a create that died
                SandboxRecord requested = save(SandboxRecord.requested(spec, runtime.name()));
                disks.waiting().add(spec.sessionId());
                try {
                    disks.awaitReleased(spec);
                } catch (RuntimeException e) {
                    journal.delete(spec.sessionId());
                    records.remove(spec.sessionId());
                    throw e;
                } finally {
                    disks.waiting().remove(spec.sessionId());
                }
                return boot(runtime, requested, true);
            }
            return convergeLocked(spec.sessionId());
        });
    }

    /**
     * Records the intent to destroy and stops the sandbox's processes; what they leave is released
     * after the answer ({@link Teardowns}). False when the sandbox was unknown, or destroyed already.
     */
    public boolean destroy(String sessionId) {
        boolean stopped = locked(sessionId, () -> {
            SandboxRecord record = records.get(sessionId);
            if (record == null || record.desired() == Desired.DESTROYED) {
                return false;
            }
            SandboxRecord destroying = save(record.destroying());
            VmRuntime runtime = runtimes.get(record.runtime());
            if (runtime != null) {
                runtime.stop(destroying);
            }
            return true;
        });
        if (stopped) {
            teardowns.submit(sessionId, () -> locked(sessionId, () -> convergeLocked(sessionId)));
        }
        return stopped;
    }

    /** Pauses the running sandbox ({@link PauseSteps}); the sandbox as it then is. */
    public SandboxRecord pause(String sessionId) {
        return locked(sessionId, () -> steps.pauseAsked(known(sessionId), runtimes::get));
    }

    /** Runs the paused sandbox again where it stopped; it counts towards the host's maximum again. */
    public SandboxRecord resume(String sessionId) {
        return locked(sessionId, () -> steps.resumeAsked(known(sessionId), runtimes::get, running() >= max, max));
    }

    /** Moves of paused sandboxes to other hosts, and of theirs here. */
    public MoveSteps moves() {
        return moves;
    }

    /** New sandboxes, started on this host from the paused sandbox's memory and disk ({@link SandboxForks}). */
    public List<SandboxRecord> fork(String parentId, List<SandboxSpec> children) {
        return locked(parentId, () -> forks.fork(known(parentId), children));
    }

    void refuseWhenFull() {
        if (running() >= max) {
            throw AgentError.HOST_FULL.exception("this host runs its maximum of " + max + " sandboxes");
        }
    }

    VmRuntime runtimeOf(SandboxRecord record) {
        return runtimes.get(record.runtime());
    }

    SandboxRecord known(String sessionId) {
        SandboxRecord record = records.get(sessionId);
        if (record == null || record.desired() == Desired.DESTROYED) {
            throw AgentError.SANDBOX_NOT_FOUND.exception("no sandbox " + sessionId + " on this host");
        }
        return record;
    }

    /** Destroyed sandboxes whose release is still queued. */
    public int pendingTeardowns() {
        return teardowns.pending();
    }

    /** The sandbox as the host really runs it (a dead init is noticed here, not only by the loop). */
    public Optional<SandboxRecord> get(String sessionId) {
        SandboxRecord known = records.get(sessionId);
        if (known == null || known.desired() == Desired.DESTROYED) {
            return Optional.empty();
        }
        return Optional.ofNullable(locked(sessionId, () -> convergeLocked(sessionId)));
    }

    /** The guest agent inside the running sandbox {@code sessionId}. */
    public GuestClient guest(String sessionId) {
        SandboxRecord record = running(sessionId);
        return runtimes.get(record.runtime()).guest(record);
    }

    /** The guest agent of a running or paused sandbox (a paused one answers again once resumed). */
    public GuestClient guestOf(String sessionId) {
        SandboxRecord record = known(sessionId);
        return runtimes.get(record.runtime()).guest(record);
    }

    /** A way into a running sandbox for one command: its guest agent and the command's variables. */
    public record Inside(GuestClient guest, java.util.Map<String, String> env) {}

    /**
     * The guest agent of the running sandbox {@code sessionId} and a command's variables there: the
     * session's with the tenant's {@code env} over them, each name checked again here (the API
     * checks them first: defence in depth). One look at the sandbox for both.
     */
    public Inside inside(String sessionId, java.util.Map<String, String> env) {
        env.keySet().forEach(name -> sh.chaser.contracts.EnvRules.refusal(name).ifPresent(why -> {
            throw AgentError.INVALID_REQUEST.exception(why);
        }));
        SandboxRecord record = running(sessionId);
        return new Inside(runtimes.get(record.runtime()).guest(record),
                SessionEnvironment.forCommand(record.spec(), env));
    }

    /** The sandbox, refused unless this host runs it. */
    public SandboxRecord running(String sessionId) {
        SandboxRecord record = get(sessionId).orElseThrow(() -> AgentError.SANDBOX_NOT_FOUND.exception(
                "no sandbox " + sessionId + " on this host"));
        if (record.status() != SandboxStatus.RUNNING || record.desired() != Desired.RUNNING) {
            throw AgentError.SANDBOX_NOT_RUNNING.exception("sandbox " + sessionId + " is not running");
        }
        return record;
    }

    /** Where forwarded requests for a port inside the sandbox go. */
    public sh.chaser.agent.runtime.ForwardTarget forwardTarget(String sessionId, int port) {
        SandboxRecord record = running(sessionId);
        return runtimes.get(record.runtime()).forwardTarget(record, port);
    }

    /** Where a raw TCP connection to a port inside the sandbox goes. */
    public sh.chaser.agent.runtime.TcpTarget tcpTarget(String sessionId, int port) {
        SandboxRecord record = running(sessionId);
        return runtimes.get(record.runtime()).tcpTarget(record, port);
    }

    /** Every sandbox; one a boot or destroy is busy with is reported as last recorded, without waiting for it. */
    public List<SandboxRecord> list() {
        return records.values().stream().filter(r -> r.desired() != Desired.DESTROYED).map(SandboxRecord::sessionId)
                .map(id -> Optional.ofNullable(locks.tryLocked(id, () -> convergeLocked(id))
                        .orElseGet(() -> records.get(id))))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(SandboxRecord::sessionId)).toList();
    }

    /** The sandbox (booting, running or paused) that has this workspace disk, if any ({@link DiskHolders}). */
    public Optional<String> usingDisk(String diskId) {
        return disks.using(diskId);
    }

    public List<String> pausedIds() {
        return records.values().stream().filter(r -> r.status() == SandboxStatus.PAUSED
                && r.desired() != Desired.DESTROYED).map(SandboxRecord::sessionId).sorted().toList();
    }

    public List<String> runningIds() {
        return records.values().stream().filter(r -> r.status() == SandboxStatus.RUNNING
                && r.desired() == Desired.RUNNING).map(SandboxRecord::sessionId).sorted().toList();
    }

    /** One pass of the reconcile loop: converge every sandbox, then release what no record owns. */
    public void reconcileAll() {
        for (String sessionId : Set.copyOf(records.keySet())) {
            try {
                locked(sessionId, () -> convergeLocked(sessionId));
            } catch (RuntimeException e) {
                LOG.errorf(e, "reconciling sandbox %s failed; retrying on the next pass", sessionId);
            }
        }
        for (VmRuntime runtime : Set.copyOf(runtimes.values())) {
            runtime.sweepOrphans(() -> moves.withImports(records.keySet()));
        }
    }

    /** Releases what runtimes keep ready ahead of boots; running sandboxes are not touched. */
    public void close() {
        Set.copyOf(runtimes.values()).forEach(VmRuntime::close);
    }

    /** Destroys every sandbox (a graceful shutdown configured to leave nothing running). */
    public void destroyAll() {
        Set.copyOf(records.keySet()).forEach(this::destroy);
        if (!teardowns.drain(60, java.util.concurrent.TimeUnit.SECONDS)) {
            LOG.warnf("%d sandboxes not fully released at shutdown; the next start finishes them",
                    teardowns.pending());
        }
    }

    private long running() {
        return records.values().stream().filter(r -> r.desired() != Desired.DESTROYED
                && (r.status() == SandboxStatus.BOOTING || r.status() == SandboxStatus.RUNNING)).count();
    }

    private SandboxRecord convergeLocked(String sessionId) {
        SandboxRecord record = records.get(sessionId);
        if (record == null) {
            return null;
        }
        VmRuntime runtime = runtimes.get(record.runtime());
        if (runtime == null) {
            return save(record.ended(SandboxStatus.FAILED, "runtime " + record.runtime() + " is not available"));
        }
        if (record.desired() == Desired.DESTROYED) {
            runtime.destroy(record);
            journal.delete(sessionId);
            records.remove(sessionId);
            LOG.infof("sandbox %s destroyed", sessionId);
            return record;
        }
        return switch (record.status()) {
            case BOOTING -> record.handle().resource(SandboxForks.FORK_OF) != null
                    ? interruptedFork(runtime, record)
                    : runtime.alive(record)
                            ? save(record.running(record.handle(), Instant.now()))
                            : boot(runtime, record, false);
            case RUNNING -> record.desired() == Desired.PAUSED
                    ? java.util.Optional.ofNullable(steps.interruptedPause(runtime, record)).map(this::save)
                            .orElseGet(() -> exited(runtime, save(record.wanting(Desired.RUNNING))))
                    : runtime.alive(record) ? record : exited(runtime, record);
            case PAUSED ->
                record.desired() == Desired.RUNNING ? save(steps.interruptedResume(runtime, record)) : record;
            case STOPPED, FAILED -> record;
        };
    }

    private SandboxRecord interruptedFork(VmRuntime runtime, SandboxRecord record) {
        safeDestroy(runtime, record);
        return save(record.ended(SandboxStatus.FAILED, "boot_failed: the fork was interrupted"));
    }

    private SandboxRecord boot(VmRuntime runtime, SandboxRecord record, boolean fresh) {
        if (!fresh) {
            // whatever an interrupted earlier attempt left is released first: boot starts clean
            runtime.destroy(record);
        }
        return start(runtime, record, journal -> runtime.boot(record, journal));
    }

    /** Starts the recorded sandbox; a failure releases what the start made and records it FAILED. */
    SandboxRecord start(VmRuntime runtime, SandboxRecord record,
            java.util.function.Function<VmRuntime.Journal, SandboxRecord.RuntimeHandle> starter) {
        long started = System.nanoTime();
        try {
            SandboxRecord[] current = { record };
            var handle = starter.apply(next -> current[0] = save(current[0].withHandle(next)));
            SandboxRecord running = save(current[0].running(handle, Instant.now()));
            LOG.infof("sandbox %s running (%s, init pid %d) in %d ms", record.sessionId(), runtime.name(),
                    handle.pid(), (System.nanoTime() - started) / 1_000_000);
            return running;
        } catch (RuntimeException e) {
            SandboxRecord failed = records.get(record.sessionId());
            safeDestroy(runtime, failed);
            String reason = e instanceof AgentException ae ? ae.error().code() + ": " + ae.getMessage() : "boot_failed";
            if (!(e instanceof AgentException)) {
                LOG.errorf(e, "sandbox %s failed to boot", record.sessionId());
            }
            save(failed.ended(SandboxStatus.FAILED, reason));
            throw e instanceof AgentException ae ? ae : AgentError.BOOT_FAILED.exception("the sandbox failed to boot");
        }
    }

    private SandboxRecord exited(VmRuntime runtime, SandboxRecord record) {
        LOG.infof("sandbox %s exited on its own; releasing its resources", record.sessionId());
        runtime.destroy(record);
        return save(record.ended(SandboxStatus.STOPPED, "vm_exited"));
    }

    private static void safeDestroy(VmRuntime runtime, SandboxRecord record) {
        try {
            runtime.destroy(record);
        } catch (RuntimeException e) {
            LOG.errorf(e, "cleaning up sandbox %s failed; the reconcile loop retries", record.sessionId());
        }
    }

    SandboxRecord save(SandboxRecord record) {
        journal.save(record);
        records.put(record.sessionId(), record);
        return record;
    }

    <T> T locked(String sessionId, Supplier<T> action) {
        return locks.locked(sessionId, action);
    }
}
