package sh.chaser.agent.runtime.microvm;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sh.chaser.agent.guest.GuestClient;
import sh.chaser.agent.guest.GuestCommands;
import sh.chaser.agent.guest.GuestException;

/**
 * Whether a browser VM's Chromium still runs, asked of its guest agent at most every 2 s (liveness
 * is asked often: every reconcile and every request that needs a running sandbox).
 */
final class BrowserWatch {

    private static final long RECHECK_NANOS = Duration.ofSeconds(2).toNanos();

    private record Seen(long at, boolean running) {}

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    boolean running(String sessionId, GuestClient guest, String command) {
        Seen last = seen.get(sessionId);
        if (last != null && System.nanoTime() - last.at() < RECHECK_NANOS) {
            return last.running();
        }
        boolean running;
        try {
            running = !new GuestCommands(guest).output(command, 0, Duration.ZERO).ended();
        } catch (GuestException e) {
            running = e.status() != 404; // the guest does not know the command: it is gone
        } catch (IOException e) {
            running = true; // a guest slow to answer is no proof that Chromium ended
        }
        seen.put(sessionId, new Seen(System.nanoTime(), running));
        return running;
    }

    void forget(String sessionId) {
        seen.remove(sessionId);
    }
}
