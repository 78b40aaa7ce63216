package sh.chaser.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads /proc: a pid alone is not an identity (pids are reused), pid plus start time is. */
public final class ProcessTable {

    private ProcessTable() {
    }

    /** The process's start time in clock ticks since boot, or -1 when it does not exist. */
    public static long startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name may hold spaces and parentheses: fields resume after the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (fields[0].equals("Z") || fields[0].equals("X")) {
                return -1;
            }
            return Long.parseLong(fields[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static boolean alive(long pid, long startTicks) {
        return pid > 0 && startTicks > 0 && startTicks(pid) == startTicks;
    }

    public static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
