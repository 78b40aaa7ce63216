package sh.chaser.agent.commands;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxStatus;
import sh.chaser.agent.guest.GuestCommands;
import sh.chaser.agent.guest.GuestErrors;
import sh.chaser.agent.host.Files2;

/**
 * The background commands of every sandbox on this host. Their output is kept in files under
 * {@code <data-dir>/commands/<session>/} until the sandbox is gone, so any reader, from any
 * gateway, can read it from any offset, also after the command has exited.
 */
@ApplicationScoped
public class BackgroundCommands {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(BackgroundCommands.class);

    private static final int KEPT_PER_SESSION = 256;

    private final Map<String, Map<String, BackgroundCommand>> bySession = new ConcurrentHashMap<>();
    private final Map<String, OutputBudget> budgets = new ConcurrentHashMap<>();
    private final Map<String, Object> guards = new ConcurrentHashMap<>();
    private final CommandJournal journal = new CommandJournal();
    private volatile boolean restored;

    @Inject
    Sandboxes sandboxes;
    @Inject
    AgentConfig config;

    public BackgroundCommand start(String sessionId, String command, String cwd, Map<String, String> env) {
        var inside = sandboxes.inside(sessionId, env);
        GuestCommands guest = new GuestCommands(inside.guest());
        String id = UUID.randomUUID().toString();
        Path dir = Path.of(config.dataDir(), "commands", sessionId);
        Files2.createDirectories(dir);
        OutputBudget budget = budgets.computeIfAbsent(sessionId,
                k -> new OutputBudget(config.defaults().sessionOutputBytes()));
        CommandOutput output = new CommandOutput(dir.resolve(id + ".out"), config.defaults().commandOutputBytes(),
                budget);
        GuestCommands.Started inGuest;
        try {
            inGuest = GuestErrors.call(() -> guest.start(command, cwd, inside.env()));
        } catch (RuntimeException e) {
            closeQuietly(output);
            throw e;
        }
        var entry = new CommandJournal.Entry(id, sessionId, command, inGuest.id(), inGuest.pid(),
                java.time.Instant.now(), null, null);
        var started = new BackgroundCommand(entry, guest, output, this::record);
        record(started);
        started.pump(0);
        Map<String, BackgroundCommand> commands = bySession.computeIfAbsent(sessionId, k -> new ConcurrentHashMap<>());
        commands.put(id, started);
        forgetOldest(dir, commands);
        return started;
    }

    private void record(BackgroundCommand command) {
        journal.save(Path.of(config.dataDir(), "commands", command.sessionId()), command.entry());
    }

    /** The sandbox pauses: its commands' output stops being copied (it is all kept). */
    public void suspend(String sessionId) {
        for (BackgroundCommand command : bySession.getOrDefault(sessionId, Map.of()).values()) {
            try {
                command.suspend();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The sandbox runs again: the output of its running commands is copied on from where it stopped. */
    public void resume(String sessionId) {
        if (!bySession.containsKey(sessionId)) {
            load(sessionId, true); // commands that moved here with their paused sandbox, which runs now
        }
        for (BackgroundCommand command : bySession.getOrDefault(sessionId, Map.of()).values()) {
            if (command.running() && command.suspended()) {
                command.pump(command.output().size());
            }
        }
    }

    /**
     * Once, when this agent process starts: the commands an earlier one recorded for the sandboxes it
     * adopted are listed again, and those still running are copied on from where their output ends
     * (a paused sandbox's once it resumes).
     */
    void restore(Set<String> running, Set<String> paused) {
        Path root = Path.of(config.dataDir(), "commands");
        if (!java.nio.file.Files.isDirectory(root)) {
            return;
        }
        try (var dirs = java.nio.file.Files.list(root)) {
            // what sandboxes that did not outlive the earlier process left
            dirs.filter(d -> !running.contains(d.getFileName().toString())
                    && !paused.contains(d.getFileName().toString())).forEach(Files2::deleteRecursively);
        } catch (IOException e) {
            LOG.warnf("cannot list %s (%s)", root, e.getMessage());
        }
        int count = 0;
        for (String sessionId : union(running, paused)) {
            count += load(sessionId, running.contains(sessionId));
        }
        LOG.infof("restored %d background command(s) of %d running sandbox(es)", count, running.size());
    }

    /** The commands recorded in the session's directory, listed again; those running copied on when {@code pump}. */
    private int load(String sessionId, boolean pump) {
        Path dir = dir(sessionId);
        int count = 0;
        if (!java.nio.file.Files.isDirectory(dir)) {
            bySession.computeIfAbsent(sessionId, k -> new ConcurrentHashMap<>()); // none: not looked for again
            return 0;
        }
        OutputBudget budget = budgets.computeIfAbsent(sessionId,
                k -> new OutputBudget(config.defaults().sessionOutputBytes()));
        GuestCommands guest;
        try {
            guest = new GuestCommands(sandboxes.guestOf(sessionId));
        } catch (RuntimeException e) {
            LOG.warnf("the commands of session %s are not restored: its sandbox is not running (%s)", sessionId,
                    e.getMessage());
            bySession.computeIfAbsent(sessionId, k -> new ConcurrentHashMap<>()); // dropped with its sandbox
            return 0;
        }
        Map<String, BackgroundCommand> commands = bySession.computeIfAbsent(sessionId,
                k -> new ConcurrentHashMap<>());
        for (CommandJournal.Entry entry : journal.load(dir)) {
            try {
                CommandOutput output = CommandOutput.reopen(dir.resolve(entry.id() + ".out"),
                        config.defaults().commandOutputBytes(), budget);
                var command = new BackgroundCommand(entry, guest, output, this::record);
                if (command.running() && pump) {
                    command.pump(output.size());
                }
                commands.put(entry.id(), command);
                count++;
            } catch (IOException | RuntimeException e) {
                LOG.warnf("command %s of session %s cannot be restored (%s)", entry.id(), sessionId,
                        e.getMessage());
            }
        }
        return count;
    }

    /** Where the session's commands keep their records and output on this host. */
    Path dir(String sessionId) {
        return Path.of(config.dataDir(), "commands", sessionId);
    }

    void onStop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        bySession.values().forEach(commands -> commands.values().forEach(BackgroundCommand::halt));
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

    /** Sends {@code signal} (TERM, KILL, INT, HUP, ...) to the command's whole session inside the sandbox. */
    public void kill(BackgroundCommand command, String signal) {
        if (command.running()) {
            GuestErrors.call(() -> {
                command.kill(signal);
                return null;
            });
        }
    }

    /**
     * Runs a pause or a resume of the session's sandbox with its commands, so that no reconcile pass
     * acts on them meanwhile: a pass lists the sandboxes without their locks, so what it saw may have
     * changed since (a sandbox pausing was neither running nor paused; one seen running may pause).
     */
    public <T> T exclusively(String sessionId, java.util.function.Supplier<T> step) {
        synchronized (guards.computeIfAbsent(sessionId, k -> new Object())) {
            return step.get();
        }
    }

    void onReconciled(@jakarta.enterprise.event.Observes sh.chaser.agent.application.SandboxesReconciled pass) {
        if (!restored) {
            restored = true;
            try {
                restore(pass.running(), pass.paused());
            } catch (RuntimeException e) {
                LOG.error("restoring background commands failed; those of earlier agent processes are not listed", e);
            }
        }
        Set<String> seen = union(pass.running(), pass.paused());
        for (String sessionId : Set.copyOf(bySession.keySet())) {
            if (!seen.contains(sessionId)) {
                exclusively(sessionId, () -> held(sessionId) ? null : forget(sessionId));
            }
        }
        // a resume the reconcile loop finished (its caller's was cut off) leaves the copying stopped
        for (String sessionId : pass.running()) {
            exclusively(sessionId, () -> {
                if (sandboxes.get(sessionId).filter(r -> r.status() == SandboxStatus.RUNNING
                        && r.desired() == SandboxRecord.Desired.RUNNING).isPresent()) {
                    resume(sessionId);
                }
                return null;
            });
        }
    }

    /** Whether the host still runs or keeps the sandbox (booting, running, pausing, paused or resuming). */
    private boolean held(String sessionId) {
        return sandboxes.get(sessionId).filter(r -> r.status() == SandboxStatus.RUNNING
                || r.status() == SandboxStatus.PAUSED || r.status() == SandboxStatus.BOOTING).isPresent();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Drops the commands and output of a session this host no longer runs. */
    private Void forget(String sessionId) {
        Map<String, BackgroundCommand> gone = bySession.remove(sessionId);
        budgets.remove(sessionId);
        guards.remove(sessionId);
        if (gone != null) {
            gone.values().forEach(c -> closeQuietly(c.output()));
        }
        Files2.deleteRecursively(Path.of(config.dataDir(), "commands", sessionId));
        return null;
    }

    private static void forgetOldest(Path dir, Map<String, BackgroundCommand> commands) {
        if (commands.size() <= KEPT_PER_SESSION) {
            return;
        }
        commands.values().stream().filter(c -> !c.running()).min(Comparator.comparing(BackgroundCommand::startedAt))
                .ifPresent(oldest -> {
                    commands.remove(oldest.id());
                    try {
                        oldest.output().discard();
                        java.nio.file.Files.deleteIfExists(CommandJournal.file(dir, oldest.id()));
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

}
