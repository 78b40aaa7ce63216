package sh.chaser.agent.domain;

/** What the host really runs for a sandbox. */
public enum SandboxStatus {
    /** intent recorded; the runtime is preparing it */
    BOOTING,
    /** its init runs inside its isolation */
    RUNNING,
    /** it ran and exited (or was killed) on its own; resources released */
    STOPPED,
    /** boot did not complete; resources released */
    FAILED
}
