package sh.chaser.agent.runtime;

import sh.chaser.agent.domain.MovedSandbox;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.RuntimeHandle;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.domain.SavedBlock;
import sh.chaser.agent.domain.SavedFile;

/**
 * How a runtime's paused sandbox moves to another host: described and read block by block on the host
 * that paused it; begun, written and committed on the host that is to resume it. Every call happens
 * under the sandbox's lock.
 */
public interface PausedMover {

    /** The paused sandbox as the other host needs it; refused for one that cannot move (a workspace's). */
    MovedSandbox describe(SandboxRecord record);

    /** The first block of {@code file} at or after {@code offset} that is not all zeros, or its end. */
    SavedBlock read(SandboxRecord record, SavedFile file, long offset);

    /** Whether {@code record}, imported here earlier, holds the same saved state as {@code moved} (a repeated move). */
    boolean holds(SandboxRecord record, MovedSandbox moved);

    /** Starts taking a moved sandbox; what an interrupted import of it left is dropped first. */
    void begin(MovedSandbox moved);

    void write(SandboxSpec spec, SavedBlock block);

    /** Checks the copy against the pause's manifest and gives it this host's resources; its handle. */
    RuntimeHandle commit(MovedSandbox moved);

    /** Drops what an import wrote. */
    void abandon(String sessionId);
}
