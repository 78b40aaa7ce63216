package sh.chaser.agent.commands;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import sh.chaser.agent.application.ForegroundExec;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.runtime.Files2;
import sh.chaser.agent.runtime.ProcessTable;

/**
 * The background commands of every sandbox on this host. Their output is kept in files under
 * {@code <data-dir>/commands/<session>/} until the sandbox is gone, so any reader, from any
 * gateway, can read it from any offset, also after the command has exited.
 */
@ApplicationScoped
public class BackgroundCommands {

    private static final int KEPT_PER_SESSION = 256;

    private final Map<String, Map<String, BackgroundCommand>> bySession = new ConcurrentHashMap<>();
    private final Map<String, OutputBudget> budgets = new ConcurrentHashMap<>();

    @Inject
    Sandboxes sandboxes;
    @Inject
    AgentConfig config;

    public BackgroundCommand start(String sessionId, String command, String cwd, Map<String, String> env) {
        ProcessBuilder builder = sandboxes.enter(sessionId, List.of("/bin/sh", "-c", ForegroundExec.WRAPPER, "chaser-exec",
                cwd == null || cwd.isEmpty() ? "/workspace" : cwd, command), env);
        String id = UUID.randomUUID().toString();
        Path dir = Path.of(config.dataDir(), "commands", sessionId);
        Files2.createDirectories(dir);
        OutputBudget budget = budgets.computeIfAbsent(sessionId, k -> new OutputBudget(config.defaults().sessionOutputBytes()));
        CommandOutput output = new CommandOutput(dir.resolve(id + ".out"), config.defaults().commandOutputBytes(), budget);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var started = new BackgroundCommand(id, sessionId, command, process, innerPid(process.pid()), output);
        started.pump();
        Map<String, BackgroundCommand> commands = bySession.computeIfAbsent(sessionId, k -> new ConcurrentHashMap<>());
        commands.put(id, started);
        forgetOldest(commands);
        return started;
    }

    public List<BackgroundCommand> list(String sessionId) {
        return bySession.getOrDefault(sessionId, Map.of()).values().stream()
                .sorted(Comparator.comparing(BackgroundCommand::startedAt)).toList();
    }

    public BackgroundCommand get(String sessionId, String commandId) {
        BackgroundCommand found = bySession.getOrDefault(sessionId, Map.of()).get(commandId);
        if (found == null) {
            throw AgentError.COMMAND_NOT_FOUND.exception("no command " + commandId + " in this session");
        }
        return found;
    }

    /** Sends {@code signal} (TERM, KILL, INT, HUP, ...) to the command's whole process group. */
    public void kill(BackgroundCommand command, String signal) {
        if (command.running()) {
            // only once the command runs inside: a signal that reached runc exec before the command did
            // ended the relay with runc's own status (255) instead of the command's. Then the command's
            // whole process group at once (runc makes it a session and group leader inside), and one by
            // one only what left the group: one by one, a child forked between reading the tree and
            // signalling its parent escaped (and held the output open, so the command never ended)
            long inside = startedInside(command.hostPid());
            if (inside > 0) {
                ProcessTable.signalGroup(inside, signal);
                ProcessTable.signalSubtree(inside, signal, inside);
            } else {
                ProcessTable.signalTree(command.hostPid(), signal);
            }
        }
    }

    /** The sandbox side of a command once runc's init has become the command (up to 2 s), else 0. */
    private static long startedInside(long hostPid) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            long inside = ProcessTable.sandboxSide(hostPid);
            if (inside > 0 && !comm(inside).startsWith("runc")) {
                return inside;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return 0;
    }

    private static String comm(long pid) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (java.io.IOException gone) {
            return "";
        }
    }

    /** Drops the commands and output of sessions this host no longer runs. */
    public void forgetAllBut(Set<String> liveSessions) {
        for (String sessionId : Set.copyOf(bySession.keySet())) {
            if (!liveSessions.contains(sessionId)) {
                Map<String, BackgroundCommand> gone = bySession.remove(sessionId);
                budgets.remove(sessionId);
                gone.values().forEach(c -> closeQuietly(c.output()));
                Files2.deleteRecursively(Path.of(config.dataDir(), "commands", sessionId));
            }
        }
    }

    private static void forgetOldest(Map<String, BackgroundCommand> commands) {
        if (commands.size() <= KEPT_PER_SESSION) {
            return;
        }
        commands.values().stream().filter(c -> !c.running()).min(Comparator.comparing(BackgroundCommand::startedAt))
                .ifPresent(oldest -> {
                    commands.remove(oldest.id());
                    try {
                        oldest.output().discard();
                    } catch (IOException ignored) {
                        // already gone
                    }
                });
    }

    private static void closeQuietly(CommandOutput output) {
        try {
            output.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /**
     * The command's pid as the sandbox sees it: nsenter forks the command into the sandbox's pid
     * namespace, and the kernel lists that pid last on the child's NSpid line.
     */
    static long innerPid(long hostPid) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            for (long child : ProcessTable.children(hostPid)) {
                long[] nsPids = ProcessTable.nsPids(child);
                if (nsPids.length > 1) {
                    return nsPids[nsPids.length - 1];
                }
            }
            if (!ProcessTable.alive(hostPid, ProcessTable.startTicks(hostPid))) {
                return 0;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
        return 0;
    }

}
