-- Connect tokens used for a WebSocket upgrade: one row per token id, so a replay is refused. A row is
-- useless once its token has expired; redemptions delete those as they go.
CREATE TABLE connect_token_redemptions (
    token_id     text PRIMARY KEY,
    expires_at   timestamptz NOT NULL,
    redeemed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connect_token_redemptions_expiry ON connect_token_redemptions (expires_at);
