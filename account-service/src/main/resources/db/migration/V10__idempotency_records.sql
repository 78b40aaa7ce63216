-- Idempotency-Key records for the gateway: the request a key was first used for (an HMAC of its
-- method, path and body) and its answer, sealed by the gateway with a key derived from the
-- Idempotency-Key itself. A row older than 24 h is dead; claims delete those as they go.
CREATE TABLE idempotency_records (
    record_id      text PRIMARY KEY,
    account_id     uuid NOT NULL,
    fingerprint    text NOT NULL,
    claim_token    uuid NOT NULL,
    lease_until    timestamptz NOT NULL,
    status         integer,
    sealed_answer  bytea,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_records_age ON idempotency_records (created_at);
