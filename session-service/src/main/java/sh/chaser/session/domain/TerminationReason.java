package sh.chaser.session.domain;

import java.util.Set;

/** Why a session ended (API.md section 3). */
public final class TerminationReason {

    public static final String USER = "user";
    public static final String FORCED = "forced";
    public static final String WORKSPACE_DELETED = "workspace_deleted";
    public static final String SNAPSHOT_RESTORE = "snapshot_restore";
    public static final String IDLE_TIMEOUT = "idle_timeout";
    public static final String BOOT_FAILED = "boot_failed";
    public static final String VM_EXITED = "vm_exited";
    public static final String HOST_LOST = "host_lost";

    public static final Set<String> ALL = Set.of(USER, FORCED, WORKSPACE_DELETED, SNAPSHOT_RESTORE, IDLE_TIMEOUT,
            BOOT_FAILED, VM_EXITED, HOST_LOST);

    private TerminationReason() {}

    /** A reason another service sent, or {@link #FORCED} when it is not one of ours. */
    public static String known(String reason) {
        return ALL.contains(reason) ? reason : FORCED;
    }
}
