package sh.chaser.contracts;

/**
 * The versioned CloudEvents types of the aggregate topics, whose payloads are the messages of
 * {@code chaser/events/v1/events.proto}; producers and consumers name them from here.
 */
public final class EventTypes {

    /** {@code SessionStateChanged} on {@code chaser.sessions.v1}. */
    public static final String SESSION_STATE_CHANGED = "sh.chaser.session.state_changed.v1";
    /** {@code WorkspaceChanged} on {@code chaser.workspaces.v1}. */
    public static final String WORKSPACE_CHANGED = "sh.chaser.workspace.changed.v1";

    private EventTypes() {
    }
}
