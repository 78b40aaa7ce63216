package sh.chaser.agent.domain;

/** What the host really runs for a sandbox. */
public enum SandboxStatus {
    /** intent recorded; the runtime is preparing it */
    BOOTING,
    /** its init runs inside its isolation */
    RUNNING,
    /** its memory and devices are saved on the host's disk; nothing of it runs (a microVM's pause) */
    PAUSED,
    /** it ran and exited (or was killed) on its own; resources released */
    STOPPED,
    /** boot did not complete; resources released */
    FAILED
}
