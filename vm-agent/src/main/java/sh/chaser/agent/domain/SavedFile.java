package sh.chaser.agent.domain;

/** What a paused sandbox keeps on its host, read and written block by block when it moves to another host. */
public enum SavedFile {
    /** The VM's saved devices. */
    STATE,
    /** The guest's RAM. */
    MEMORY,
    /** The sandbox's disk image (the scratch space of an ephemeral sandbox). */
    DISK,
    /** One file of the sandbox's background commands (its record or its output), by name. */
    COMMAND
}
