package sh.chaser.agent.domain;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** What a caller asked to run. Validated on construction; an invalid spec never reaches a runtime. */
public record SandboxSpec(String sessionId, String sessionType, String image, String workspaceId,
        Limits limits, Map<String, String> env) {

    public static final Set<String> SESSION_TYPES = Set.of("sandbox", "browser");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:@-]{0,254}");
    private static final Pattern DISK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public SandboxSpec {
        requireUuid(sessionId);
        if (!SESSION_TYPES.contains(sessionType)) {
            throw invalid("session_type must be one of " + SESSION_TYPES);
        }
        if (image == null || !IMAGE.matcher(image).matches()) {
            throw invalid("image must be a lower-case image reference");
        }
        workspaceId = workspaceId == null ? "" : workspaceId;
        if (!workspaceId.isEmpty() && !DISK_ID.matcher(workspaceId).matches()) {
            throw invalid("workspace_id must be 1-64 letters, digits, '-' or '_'");
        }
        env = Map.copyOf(env == null ? Map.of() : env);
        for (var entry : env.entrySet()) {
            if (!ENV_NAME.matcher(entry.getKey()).matches() || entry.getValue().indexOf('\0') >= 0) {
                throw invalid("env names are [A-Za-z_][A-Za-z0-9_]* and values hold no NUL: " + entry.getKey());
            }
        }
    }

    /** The spec of a fork of this sandbox: its own id and disk (a workspace disk, or scratch when empty). */
    public SandboxSpec forkedAs(String childId, String childWorkspaceId) {
        return new SandboxSpec(childId, sessionType, image, childWorkspaceId, limits, env);
    }

    public boolean ephemeral() {
        return workspaceId.isEmpty();
    }

    public static String requireUuid(String sessionId) {
        try {
            if (sessionId != null && UUID.fromString(sessionId).toString().equals(sessionId)) {
                return sessionId;
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw invalid("session_id must be a lower-case UUID");
    }

    private static AgentException invalid(String message) {
        return AgentError.INVALID_REQUEST.exception(message);
    }
}
