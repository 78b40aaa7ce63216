package sh.chaser.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

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

    /** The pids of the process's children (of its main thread), empty when it is gone. */
    public static long[] children(long pid) {
        String list = read(Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children")).trim();
        return list.isEmpty() ? new long[0] : Arrays.stream(list.split(" ")).mapToLong(Long::parseLong).toArray();
    }

    /** The process's pid in each pid namespace it belongs to, outermost first (its NSpid line). */
    public static long[] nsPids(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("NSpid:")) {
                return Arrays.stream(line.substring(6).trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
            }
        }
        return new long[0];
    }

    /** Sends a signal by name (TERM, KILL, INT, ...) to the process group {@code pgid}; best effort. */
    public static void signalGroup(long pgid, String signal) {
        kill(signal, "-" + pgid);
    }

    /** Sends a signal by name to one process; best effort. */
    public static void signal(long pid, String signal) {
        kill(signal, Long.toString(pid));
    }

    private static void kill(String signal, String target) {
        try {
            new ProcessBuilder("kill", "-" + signal, "--", target).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // gone already, or no kill: nothing more to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException gone) {
            return "";
        }
    }
}
