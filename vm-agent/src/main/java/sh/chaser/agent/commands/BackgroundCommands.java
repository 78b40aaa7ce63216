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

    private static final int KEPT_PER_SESSION = 256;

    private final Map<String, Map<String, BackgroundCommand>> bySession = new ConcurrentHashMap<>();
    private final Map<String, OutputBudget> budgets = new ConcurrentHashMap<>();

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
        var started = new BackgroundCommand(id, sessionId, command, guest, inGuest, output);
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

    /** Sends {@code signal} (TERM, KILL, INT, HUP, ...) to the command's whole session inside the sandbox. */
    public void kill(BackgroundCommand command, String signal) {
        if (command.running()) {
            GuestErrors.call(() -> {
                command.kill(signal);
                return null;
            });
        }
    }

    void onReconciled(@jakarta.enterprise.event.Observes sh.chaser.agent.application.SandboxesReconciled pass) {
        forgetAllBut(pass.running());
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

}
