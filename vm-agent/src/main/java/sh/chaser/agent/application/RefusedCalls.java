package sh.chaser.agent.application;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.proto.session.v1.RefusedCall;

/**
 * Calls this agent refused for their caller's certificate, held until the next heartbeat carries
 * them to session-service, which audits them (the agent has no audit trail of its own). At most
 * {@link #MAX} wait; a flood beyond that is counted in the log, not kept.
 */
@ApplicationScoped
public class RefusedCalls {

    static final int MAX = 1000;
    private static final Logger LOG = Logger.getLogger(RefusedCalls.class);
    private final Deque<RefusedCall> pending = new ArrayDeque<>();
    private long dropped;

    public synchronized void refused(String caller, String method, String path, String code) {
        if (pending.size() >= MAX) {
            dropped++;
            return;
        }
        pending.add(RefusedCall.newBuilder().setCaller(caller).setMethod(method).setPath(path).setCode(code).build());
    }

    /** The refusals to report now (they are gone from here). */
    synchronized List<RefusedCall> drain() {
        if (dropped > 0) {
            LOG.warnf("%d refused calls were not kept for the audit trail (more than %d between heartbeats)", dropped,
                    MAX);
            dropped = 0;
        }
        List<RefusedCall> all = new ArrayList<>(pending);
        pending.clear();
        return all;
    }

    /** A heartbeat that failed: its refusals wait for the next one. */
    synchronized void putBack(List<RefusedCall> calls) {
        for (int i = calls.size() - 1; i >= 0 && pending.size() < MAX; i--) {
            pending.addFirst(calls.get(i));
        }
    }
}
