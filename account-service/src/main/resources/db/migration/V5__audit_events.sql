-- The audit trail of every service, stored from chaser.audit.v1. The id is the CloudEvent id,
-- so a redelivered event is stored once.
CREATE TABLE audit_events (
    id              uuid PRIMARY KEY,
    account_id      uuid,
    actor_type      text,
    actor_id        text,
    action          text NOT NULL,
    resource_type   text,
    resource_id     text,
    status          text NOT NULL CHECK (status IN ('success', 'failure')),
    summary         text,
    metadata        jsonb NOT NULL DEFAULT '{}',
    source          text,
    created_at      timestamptz NOT NULL
);
CREATE INDEX audit_events_account_time ON audit_events (account_id, created_at DESC);
