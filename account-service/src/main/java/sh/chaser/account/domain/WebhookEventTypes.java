package sh.chaser.account.domain;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sh.chaser.common.api.ServiceException;

/** The event types a webhook subscribes to (API.md section 7), and the platform facts they come from. */
public final class WebhookEventTypes {

    public static final List<String> ALL = List.of("session.created", "session.running", "session.terminated",
            "session.paused", "session.resumed", "session.forked",
            "workspace.created", "workspace.deleted", "workspace.imported", "workspace.snapshot.created",
            "workspace.snapshot.restored", "workspace.snapshot.deleted", "job.queued", "job.started", "job.retrying",
            "job.succeeded", "job.failed", "job.cancelled");

    private static final Map<String, String> SESSION_STATUS = Map.of(
            "creating", "session.created", "running", "session.running", "terminated", "session.terminated",
            "paused", "session.paused");

    private static final Map<String, String> WORKSPACE_CHANGE = Map.of(
            "created", "workspace.created", "deleted", "workspace.deleted", "imported", "workspace.imported",
            "snapshot_created", "workspace.snapshot.created", "snapshot_restored", "workspace.snapshot.restored",
            "snapshot_deleted", "workspace.snapshot.deleted");

    private WebhookEventTypes() {}

    /** The public type of what happened to a job ({@code started} -> {@code job.started}), or null. */
    public static String ofJobEvent(String event) {
        String type = "job." + event;
        return ALL.contains(type) ? type : null;
    }

    /**
     * The public type of a session's status change, or null (resuming, and a failed resume back to
     * paused). A fork's child running is {@code session.forked}: it started from its parent's state.
     */
    public static String ofSessionStatus(String status, String previous, String forkedFrom) {
        if ("running".equals(status) && "creating".equals(previous) && forkedFrom != null && !forkedFrom.isEmpty()) {
            return "session.forked";
        }
        if ("running".equals(status) && "resuming".equals(previous)) {
            return "session.resumed";
        }
        if ("paused".equals(status) && "resuming".equals(previous)) {
            return null;
        }
        return SESSION_STATUS.get(status);
    }

    /** The public type of a workspace change, or null for changes not published (renames, sizes, ...). */
    public static String ofWorkspaceChange(String change) {
        return WORKSPACE_CHANGE.get(change);
    }

    /** The subscription, in order, without repeats; {@code ["*"]} stands for every type. */
    public static List<String> validate(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST,
                    "events must name at least one of " + ALL + " (or \"*\")",
                    "events");
        }
        if (events.contains("*")) {
            return ALL;
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String e : events) {
            if (!ALL.contains(e)) {
                throw new ServiceException(ErrorCode.INVALID_REQUEST, "unknown event type " + e + "; known: " + ALL,
                        "events");
            }
            chosen.add(e);
        }
        return List.copyOf(chosen);
    }
}
