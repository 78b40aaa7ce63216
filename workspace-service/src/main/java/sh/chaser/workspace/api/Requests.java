package sh.chaser.workspace.api;

import java.util.List;

/** Request bodies of the workspace routes (snake_case on the wire). */
public final class Requests {

    private Requests() {}

    public record CreateWorkspace(String sessionType, String name, String image, Boolean template, String cloneFrom,
            Boolean force, String runtime) {}

    public record ImportWorkspace(String githubRepo, String name, String ref, String runtime) {}

    public record SetTemplate(Boolean template) {}

    public record CreateSnapshot(String name, Boolean force) {}

    public record Force(Boolean force) {}

    public record SetDefault(String sessionType, String workspace) {}

    public record BulkDelete(List<String> workspaceIds, Boolean force) {}

    static boolean yes(Boolean b) {
        return Boolean.TRUE.equals(b);
    }
}
