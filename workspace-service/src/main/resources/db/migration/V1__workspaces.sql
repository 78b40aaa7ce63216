-- A workspace is a named persistent disk, locked to one session type, owned by one account.
CREATE TABLE workspaces (
    id                   uuid PRIMARY KEY,
    account_id           uuid NOT NULL,
    -- null when cleared; the id is then the display name
    name                 text,
    session_type         text NOT NULL CHECK (session_type IN ('browser', 'sandbox')),
    status               text NOT NULL CHECK (status IN ('importing', 'ready', 'failed')),
    image                text,
    template             boolean NOT NULL DEFAULT false,
    active_session_id    uuid,
    last_session_id      uuid,
    source_workspace_id  uuid,
    github_repo          text,
    host_id              text,
    size_bytes           bigint NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    deleted_at           timestamptz
);
-- Names are unique per account, case-insensitive, among live workspaces.
CREATE UNIQUE INDEX workspaces_account_name ON workspaces (account_id, lower(name))
    WHERE name IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX workspaces_account_created ON workspaces (account_id, created_at DESC);
