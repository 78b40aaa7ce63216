-- Disk work in progress on a workspace, recorded before the vm-agent is called so that a crash
-- between the two is finished (or undone) by the reconcile loop on restart.
ALTER TABLE workspaces
    ADD COLUMN operation            text CHECK (operation IN ('create', 'clone', 'import', 'restore', 'delete')),
    -- clone: the source workspace id; restore: the snapshot id; import: the git ref
    ADD COLUMN operation_arg        text,
    ADD COLUMN operation_started_at timestamptz,
    -- why an import failed
    ADD COLUMN failure_reason       text,
    ADD CONSTRAINT workspaces_name_shape CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$');

-- Filesystem restore points; the vm-agent knows each by its id.
CREATE TABLE workspace_snapshots (
    id            uuid PRIMARY KEY,
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    account_id    uuid NOT NULL,
    name          text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    state         text NOT NULL CHECK (state IN ('creating', 'ready', 'deleting')),
    size_bytes    bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX workspace_snapshots_name ON workspace_snapshots (workspace_id, lower(name));

-- Ids of consumed events, so a replayed event changes nothing.
CREATE TABLE processed_events (
    event_id      text PRIMARY KEY,
    processed_at  timestamptz NOT NULL
);
CREATE INDEX workspaces_pending ON workspaces (operation_started_at) WHERE operation IS NOT NULL;
