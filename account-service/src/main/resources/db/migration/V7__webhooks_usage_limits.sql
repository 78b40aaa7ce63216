-- Webhooks: endpoints of an account, each event they subscribe to queued as a delivery, every attempt kept.
CREATE TABLE webhooks (
    id                uuid PRIMARY KEY,
    account_id        uuid NOT NULL REFERENCES accounts (id),
    url               text NOT NULL,
    events            text[] NOT NULL,
    description       text,
    -- AES-256-GCM (nonce || ciphertext) of the signing secret: it must be readable to sign with
    secret_sealed     bytea NOT NULL,
    secret_prefix     text NOT NULL,
    created_by_type   text NOT NULL,
    created_by_id     text NOT NULL,
    created_at        timestamptz NOT NULL,
    deleted_at        timestamptz
);
CREATE INDEX webhooks_account ON webhooks (account_id, created_at DESC) WHERE deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
    id                uuid PRIMARY KEY,
    webhook_id        uuid NOT NULL REFERENCES webhooks (id),
    account_id        uuid NOT NULL,
    -- the platform event delivered (also the CloudEvent id the receiver sees); once per webhook
    event_id          text NOT NULL,
    event_type        text NOT NULL,
    -- the exact body, so every attempt sends (and signs) the same bytes
    payload           text NOT NULL,
    -- pending | delivered | failed | cancelled
    status            text NOT NULL,
    attempts          integer NOT NULL DEFAULT 0,
    next_attempt_at   timestamptz,
    created_at        timestamptz NOT NULL,
    completed_at      timestamptz,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_list ON webhook_deliveries (webhook_id, created_at DESC);

CREATE TABLE webhook_attempts (
    delivery_id       uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt           integer NOT NULL,
    started_at        timestamptz NOT NULL,
    status_code       integer,
    latency_ms        integer NOT NULL,
    error             text,
    PRIMARY KEY (delivery_id, attempt)
);

-- Usage, metered from session and workspace events; every write is idempotent under replay.
CREATE TABLE session_usage (
    session_id        uuid PRIMARY KEY,
    account_id        uuid NOT NULL,
    session_type      text NOT NULL,
    running_at        timestamptz,
    terminated_at     timestamptz
);
CREATE INDEX session_usage_account ON session_usage (account_id, running_at);

CREATE TABLE workspace_storage (
    workspace_id      uuid PRIMARY KEY,
    account_id        uuid NOT NULL,
    size_bytes        bigint NOT NULL,
    -- the event time of the value held: an older event (a replay) never overwrites a newer one
    measured_at       timestamptz NOT NULL,
    deleted           boolean NOT NULL DEFAULT false
);
CREATE INDEX workspace_storage_account ON workspace_storage (account_id) WHERE NOT deleted;

-- Per-account limits set by an operator; a null column takes the installation's default.
CREATE TABLE account_limits (
    account_id               uuid PRIMARY KEY REFERENCES accounts (id),
    concurrent_sessions      integer,
    workspaces               integer,
    workspace_storage_bytes  bigint,
    account_storage_bytes    bigint,
    updated_at               timestamptz NOT NULL
);
