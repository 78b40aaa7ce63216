-- An account's default workspace per session type: where POST /v1/exec, MCP's tools and ssh run
-- when no workspace is named. A deleted workspace stops being anyone's default (DeleteWorkspace
-- drops the row; lookups also skip workspaces marked deleted).
CREATE TABLE default_workspaces (
    account_id    uuid        NOT NULL,
    session_type  text        NOT NULL,
    workspace_id  uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    set_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, session_type)
);
CREATE INDEX default_workspaces_workspace ON default_workspaces (workspace_id);
