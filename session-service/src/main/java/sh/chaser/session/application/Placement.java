package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import sh.chaser.common.persistence.Tx;
import sh.chaser.session.config.SessionConfig;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.persistence.HostEntity;
import sh.chaser.session.persistence.PgHostRepository;
import sh.chaser.session.persistence.PgSessionRepository;

/**
 * Where a session boots. A workspace session goes where its disk is; an ephemeral one to the emptier
 * of two live hosts sampled at random ("power of two choices": near-even load without a global scan
 * racing every other create). Load is the sessions this service has placed there, not a heartbeat
 * that may be seconds old.
 */
@ApplicationScoped
public class Placement {

    public record Host(String id, String address) {}

    @Inject
    PgHostRepository hosts;
    @Inject
    PgSessionRepository sessions;
    @Inject
    SessionConfig config;

    private volatile List<HostEntity> cached = List.of();
    private volatile long cachedAt;

    /** The runtime a session asks for, else the installation's default; null: any. */
    public String runtimeFor(String requested) {
        return requested != null ? requested : config.hosts().defaultRuntime().filter(r -> !r.isBlank()).orElse(null);
    }

    /** The live hosts that run {@code runtime} (all of them when it is null); 400 when none does. */
    private List<HostEntity> offering(List<HostEntity> live, String runtime) {
        if (runtime == null) {
            return live;
        }
        List<HostEntity> offering = live.stream()
                .filter(h -> h.runtimes != null && List.of(h.runtimes).contains(runtime))
                .toList();
        if (offering.isEmpty() && !live.isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("no host of this installation runs " + runtime + " sessions",
                    "runtime");
        }
        return offering;
    }

    public Host forEphemeral(String runtime) {
        List<HostEntity> live = offering(liveCached(), runtime);
        Map<String, Long> load = Tx.read(() -> sessions.liveCountByHost());
        List<HostEntity> open = new ArrayList<>(live.stream()
                .filter(h -> load.getOrDefault(h.id, 0L) < h.sandboxesMax).toList());
        if (open.isEmpty()) {
            throw ErrorCode.NO_CAPACITY.exception(live.isEmpty()
                    ? "no vm-agent host is available"
                    : "every host runs its maximum of sessions; try again later");
        }
        HostEntity a = open.get(ThreadLocalRandom.current().nextInt(open.size()));
        HostEntity b = open.get(ThreadLocalRandom.current().nextInt(open.size()));
        HostEntity chosen = load.getOrDefault(b.id, 0L) < load.getOrDefault(a.id, 0L) ? b : a;
        return new Host(chosen.id, chosen.grpcAddress);
    }

    /**
     * Whether a resuming session may run again on its live host: its own place is counted there already
     * (resuming), so the host is over its maximum only beyond it. A host not heard from counts as having
     * room: the resume asks it and says it is unavailable.
     */
    public boolean roomToResume(String hostId) {
        return liveCached().stream().filter(h -> h.id.equals(hostId)).findFirst()
                .map(h -> Tx.read(() -> sessions.liveCountByHost()).getOrDefault(h.id, 0L) <= h.sandboxesMax)
                .orElse(true);
    }

    /** Another live host that runs {@code runtime} and has room: where a paused session the full {@code from} keeps can move. */
    public Optional<Host> forMove(String from, String runtime) {
        Map<String, Long> load = Tx.read(() -> sessions.liveCountByHost());
        return liveCached().stream().filter(h -> !h.id.equals(from))
                .filter(h -> runtime == null || h.runtimes != null && List.of(h.runtimes).contains(runtime))
                .filter(h -> load.getOrDefault(h.id, 0L) < h.sandboxesMax)
                .min(java.util.Comparator.comparingLong(h -> load.getOrDefault(h.id, 0L)))
                .map(h -> new Host(h.id, h.grpcAddress));
    }

    /** The host keeping a workspace's disk, if it is live, runs {@code runtime} (any when null) and has room. */
    public Host forWorkspace(String hostId, String runtime) {
        HostEntity host = liveCached().stream().filter(h -> h.id.equals(hostId)).findFirst()
                .orElseThrow(() -> ErrorCode.HOST_UNAVAILABLE.exception("the host " + hostId
                        + " that keeps this workspace's disk is not available; try again shortly"));
        if (runtime != null && (host.runtimes == null || !List.of(host.runtimes).contains(runtime))) {
            throw ErrorCode.INVALID_REQUEST.exception("the host keeping this workspace's disk does not run " + runtime
                    + " sessions", "runtime");
        }
        long load = Tx.read(() -> sessions.liveCountByHost()).getOrDefault(host.id, 0L);
        if (load >= host.sandboxesMax) {
            throw ErrorCode.NO_CAPACITY.exception("the host keeping this workspace runs its maximum of sessions");
        }
        return new Host(host.id, host.grpcAddress);
    }

    /** The address of a registered host, live or not (a silent host may still answer a destroy). */
    public Optional<Host> address(String hostId) {
        if (hostId == null) {
            return Optional.empty();
        }
        // a live host's address without a read of its own (a bulk terminate asks once per session)
        for (HostEntity live : liveCached()) {
            if (live.id.equals(hostId)) {
                return Optional.of(new Host(live.id, live.grpcAddress));
            }
        }
        HostEntity h = Tx.read(() -> hosts.findById(hostId));
        return h == null ? Optional.empty() : Optional.of(new Host(h.id, h.grpcAddress));
    }

    /**
     * The live hosts as of at most a second ago: placement asks on every create, the answer changes
     * with heartbeats (seconds apart), and a host lost in between refuses the boot anyway.
     */
    private List<HostEntity> liveCached() {
        long now = System.nanoTime();
        if (now - cachedAt > 1_000_000_000L || cached.isEmpty()) {
            cached = live();
            cachedAt = now;
        }
        return cached;
    }

    public List<HostEntity> live() {
        OffsetDateTime since = Tx.now().minusSeconds(config.hosts().lostAfterSeconds());
        return Tx.read(() -> hosts.heardSince(since));
    }

    public List<HostEntity> silent() {
        OffsetDateTime since = Tx.now().minusSeconds(config.hosts().lostAfterSeconds());
        return Tx.read(() -> hosts.silentSince(since));
    }
}
