package sh.chaser.agent.commands;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.domain.MovedSandbox;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SavedBlock;
import sh.chaser.agent.domain.SavedFile;
import sh.chaser.agent.host.Files2;

/**
 * A paused sandbox's move to another host with what runs in it: its VM's saved state
 * ({@link sh.chaser.agent.application.MoveSteps}) and its background commands' records and output, so
 * the commands are listed there and their streams read on from the same offsets once it resumes.
 * Each step runs under the session's command guard, like a pause and a resume.
 */
@ApplicationScoped
public class SandboxMoves {

    @Inject
    Sandboxes sandboxes;
    @Inject
    BackgroundCommands commands;

    public MovedSandbox describe(String sessionId) {
        return commands.exclusively(sessionId, () -> {
            MovedSandbox moved = sandboxes.moves().describe(sessionId);
            return new MovedSandbox(moved.spec(), moved.runtime(), moved.manifest(), moved.resources(),
                    CommandFiles.names(commands.dir(sessionId)));
        });
    }

    public SavedBlock read(String sessionId, SavedFile file, String name, long offset) {
        return commands.exclusively(sessionId, () -> {
            if (file != SavedFile.COMMAND) {
                return sandboxes.moves().read(sessionId, file, offset);
            }
            sandboxes.moves().requirePaused(sessionId);
            return CommandFiles.read(commands.dir(sessionId), name, offset);
        });
    }

    /** Starts an import; the sandbox when an earlier import of it was committed already. */
    public Optional<SandboxRecord> begin(MovedSandbox moved) {
        String sessionId = moved.spec().sessionId();
        return commands.exclusively(sessionId, () -> {
            Optional<SandboxRecord> done = sandboxes.moves().begin(moved);
            if (done.isEmpty()) {
                Files2.deleteRecursively(commands.dir(sessionId)); // what an interrupted import left
            }
            return done;
        });
    }

    public void write(String sessionId, SavedBlock block) {
        commands.exclusively(sessionId, () -> {
            if (block.file() == SavedFile.COMMAND) {
                sandboxes.moves().requireImporting(sessionId);
                CommandFiles.write(commands.dir(sessionId), block);
            } else {
                sandboxes.moves().write(sessionId, block);
            }
            return null;
        });
    }

    public SandboxRecord commit(String sessionId) {
        return commands.exclusively(sessionId, () -> {
            try {
                return sandboxes.moves().commit(sessionId);
            } catch (RuntimeException e) {
                Files2.deleteRecursively(commands.dir(sessionId));
                throw e;
            }
        });
    }
}
