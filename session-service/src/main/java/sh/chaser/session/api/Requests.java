package sh.chaser.session.api;

import java.util.List;
import java.util.Map;

/** Request bodies of the session routes (snake_case on the wire). */
public final class Requests {

    private Requests() {}

    public record CreateSession(String sessionType, String workspace, Boolean ephemeral, String image,
            Map<String, String> env, String runtime) {}

    public record BulkTerminate(List<String> ids, List<String> workspaces, Boolean all, String sessionType,
            Boolean force) {}

    /** POST /v1/exec and /v1/sessions/{id}/exec (foreground). */
    public record Exec(String command, String workspace, Boolean ephemeral, String image, String cwd,
            Map<String, String> env, Long timeoutMs, Boolean background) {}

    /** POST /v1/sessions/{id}/fork. */
    public record Fork(Integer count) {}

    static boolean yes(Boolean b) {
        return Boolean.TRUE.equals(b);
    }
}
