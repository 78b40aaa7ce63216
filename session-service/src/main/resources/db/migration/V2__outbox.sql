-- Transactional outbox (sh.chaser.common.messaging): events written with the change, relayed to Kafka.
CREATE TABLE outbox (
    id              uuid PRIMARY KEY,
    topic           text NOT NULL,
    aggregate_id    text NOT NULL,
    type            text NOT NULL,
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL,
    published_at    timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL;
