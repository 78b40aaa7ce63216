package sh.chaser.workspace.api;

import java.time.OffsetDateTime;
import java.util.List;
import sh.chaser.workspace.application.DefaultWorkspaces;

/** {@code {session_type, workspace, set_at}}: one of the account's default workspaces. */
public record DefaultWorkspaceView(String sessionType, WorkspaceView workspace, OffsetDateTime setAt) {

    static DefaultWorkspaceView of(DefaultWorkspaces.Entry e) {
        return new DefaultWorkspaceView(e.sessionType(), WorkspaceView.of(e.workspace()), e.setAt());
    }

    /** The list's shape in the contract. */
    public record Page(List<DefaultWorkspaceView> data, String nextCursor) {}
}
