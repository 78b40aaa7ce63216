-- The vm-agent hosts as session-service's registry reports them on chaser.hosts.v1 (this service
-- never calls session-service): where disks are placed and disk operations are sent.
CREATE TABLE hosts (
    id              text PRIMARY KEY,
    grpc_address    text        NOT NULL,
    runtimes        text[]      NOT NULL,
    disk_free_bytes bigint      NOT NULL,
    reported_at     timestamptz NOT NULL
);

-- The last session a forced operation evicted from the workspace, and why: recorded before its VM
-- is destroyed, so session-service learns the reason (ReleaseWorkspace) whichever it notices first.
ALTER TABLE workspaces ADD COLUMN evicted_session_id uuid;
ALTER TABLE workspaces ADD COLUMN eviction_reason text;
