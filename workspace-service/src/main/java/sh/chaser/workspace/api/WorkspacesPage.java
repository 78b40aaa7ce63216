package sh.chaser.workspace.api;

import java.util.List;

/** The shape of a page of workspaces in the contract ({@code Page<WorkspaceView>}; list answers it untyped). */
public record WorkspacesPage(List<WorkspaceView> data, String nextCursor) {}
