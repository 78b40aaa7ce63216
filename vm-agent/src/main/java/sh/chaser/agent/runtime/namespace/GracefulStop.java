package sh.chaser.agent.runtime.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import sh.chaser.agent.host.ProcessTable;

/** The first step of every destroy of a sandbox (not a browser: Chromium is closed over DevTools). */
final class GracefulStop {

    /** How long a sandbox's processes have between the signal and the end of the sandbox. */
    static final Duration STOP_GRACE = Duration.ofSeconds(3);
    private static final String GUEST_COMM = "chaser-guest";

    private GracefulStop() {}

    /**
     * What runs in a sandbox is asked to end first and given {@link #STOP_GRACE} to do so, so a
     * program can finish its writes, before the init is killed and everything with it: SIGTERM to
     * every process under the guest agent, SIGHUP to those of a terminal (as its hang-up would;
     * an interactive shell ignores SIGTERM). Whoever terminates, forced or not, gets this.
     */
    static void processesUnder(long initPid) {
        long[] processes = Arrays.stream(ProcessTable.descendants(initPid))
                .filter(pid -> !GUEST_COMM.equals(comm(pid))).toArray();
        ProcessTable.signal(Arrays.stream(processes).filter(ProcessTable::hasTerminal).toArray(), "HUP");
        ProcessTable.signal(Arrays.stream(processes).filter(pid -> !ProcessTable.hasTerminal(pid))
                .toArray(), "TERM");
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        while (System.nanoTime() < deadline && Arrays.stream(processes)
                .anyMatch(pid -> ProcessTable.startTicks(pid) > 0)) {
            LockSupport.parkNanos(20_000_000L);
        }
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException gone) {
            return "";
        }
    }
}
