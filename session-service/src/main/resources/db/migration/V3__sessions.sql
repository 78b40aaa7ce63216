-- Sessions: one microVM each. status is creating | running | terminated; 'reserved' marks a
-- workspace session whose workspace lock is being taken (never shown by the API; the reconcile
-- loop gives back the lock of one a crash left behind).
CREATE TABLE sessions (
    id                  uuid PRIMARY KEY,
    account_id          uuid NOT NULL,
    session_type        text NOT NULL,
    ephemeral           boolean NOT NULL,
    workspace_selector  text,
    workspace_id        uuid,
    image               text,
    host_id             text,
    runtime             text,
    status              text NOT NULL,
    termination_reason  text,
    created_by_type     text NOT NULL,
    created_by_id       text NOT NULL,
    created_at          timestamptz NOT NULL,
    running_at          timestamptz,
    terminated_at       timestamptz
);
CREATE INDEX sessions_account ON sessions (account_id, created_at DESC);
CREATE INDEX sessions_live ON sessions (host_id) WHERE status IN ('creating', 'running');
CREATE INDEX sessions_reserved ON sessions (created_at) WHERE status = 'reserved';

-- An open stream to a session (PTY, exec, CDP, forward). Renewed by its holder; expired ones do not count.
CREATE TABLE connection_leases (
    id            uuid PRIMARY KEY,
    session_id    uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    holder        text NOT NULL,
    kind          text NOT NULL,
    acquired_at   timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX connection_leases_session ON connection_leases (session_id, expires_at);

-- Ids of consumed events (chaser.workspaces.v1), each applied once.
CREATE TABLE processed_events (
    event_id      text PRIMARY KEY,
    processed_at  timestamptz NOT NULL
);
