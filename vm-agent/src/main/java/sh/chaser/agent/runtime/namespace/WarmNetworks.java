package sh.chaser.agent.runtime.namespace;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * A few network namespaces made ahead of need, so a boot does not wait for two {@code ip} runs.
 * Their claims name the session {@value #POOL}; a boot takes one and re-labels the claim with its
 * session. Pool claims left by an earlier process of this agent go in the first sweep, before
 * the pool fills; later sweeps leave pool claims alone.
 */
final class WarmNetworks {

    static final String POOL = "pool";
    private static final Logger LOG = Logger.getLogger(WarmNetworks.class);
    private final SandboxNetwork network;
    private final String owner;
    private final int size;
    private final ConcurrentLinkedQueue<Integer> ready = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean refilling = new AtomicBoolean();
    private volatile boolean enabled;
    private final ExecutorService filler = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "warm-networks");
        thread.setDaemon(true);
        return thread;
    });

    WarmNetworks(SandboxNetwork network, String owner, int size) {
        this.network = network;
        this.owner = owner;
        this.size = size;
    }

    /** A ready slot now labelled with this session, or -1 when none is ready. */
    int take(String sessionId) {
        Integer slot = ready.poll();
        refill();
        if (slot == null) {
            return -1;
        }
        network.relabel(slot, owner, sessionId);
        return slot;
    }

    /** Starts filling; called once the first sweep has removed what an earlier process left. */
    void enable() {
        enabled = true;
        refill();
    }

    /** Frees the ready slots (a graceful shutdown). */
    void drain() {
        enabled = false;
        filler.shutdownNow();
        for (Integer slot = ready.poll(); slot != null; slot = ready.poll()) {
            network.release(owner, POOL, slot);
        }
    }

    void refill() {
        if (!enabled || size <= 0 || !refilling.compareAndSet(false, true)) {
            return;
        }
        filler.execute(() -> {
            try {
                while (ready.size() < size) {
                    int slot = network.claim(owner, POOL);
                    network.setUp(slot);
                    ready.add(slot);
                }
            } catch (RuntimeException e) {
                LOG.warnf("preparing a warm network failed (%s); boots make their own", e.getMessage());
            } finally {
                refilling.set(false);
            }
        });
    }
}
