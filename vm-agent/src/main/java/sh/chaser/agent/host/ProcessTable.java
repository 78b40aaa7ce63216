package sh.chaser.agent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** Reads /proc: a pid alone is not an identity (pids are reused), pid plus start time is. */
public final class ProcessTable {

    private ProcessTable() {}

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

    /** Whether the process has a controlling terminal (a terminal's shell and its jobs). */
    public static boolean hasTerminal(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).split(" ")[4].equals("0");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static boolean alive(long pid, long startTicks) {
        return pid > 0 && startTicks > 0 && startTicks(pid) == startTicks;
    }

    public static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /**
     * The pids of the process's children, of any of its threads (runc, a Go program, starts commands
     * from whichever thread), empty when it is gone.
     */
    public static long[] children(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        StringBuilder all = new StringBuilder();
        try (var threads = java.nio.file.Files.list(tasks)) {
            threads.forEach(task -> all.append(' ').append(read(task.resolve("children"))));
        } catch (java.io.IOException | java.io.UncheckedIOException gone) {
            return new long[0];
        }
        String list = all.toString().trim();
        return list.isEmpty()
                ? new long[0]
                : Arrays.stream(list.split("\\s+")).mapToLong(Long::parseLong).distinct().toArray();
    }

    /** Sends a signal by name to each of these processes (one {@code kill}); best effort. */
    public static void signal(long[] pids, String signal) {
        if (pids.length > 0) {
            kill(signal,
                    Arrays.stream(pids).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(" ")));
        }
    }

    /** Every descendant of the process (children first), empty when it is gone. */
    public static long[] descendants(long pid) {
        java.util.List<Long> found = new java.util.ArrayList<>();
        java.util.ArrayDeque<Long> next = new java.util.ArrayDeque<>(java.util.List.of(pid));
        while (!next.isEmpty() && found.size() < 100_000) {
            for (long child : children(next.poll())) {
                found.add(child);
                next.add(child);
            }
        }
        return found.stream().mapToLong(Long::longValue).toArray();
    }

    /** Sends a signal by name to one process; best effort. */
    public static void signal(long pid, String signal) {
        kill(signal, Long.toString(pid));
    }

    private static void kill(String signal, String target) {
        try {
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("kill", "-" + signal, "--"));
            command.addAll(java.util.List.of(target.split(" ")));
            new ProcessBuilder(command).redirectErrorStream(true)
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
