-- the times a session was paused (not metered: a paused session holds no CPU or memory); resumed_at
-- null while it still is (until its end). Written from session events, idempotent under replay.
CREATE TABLE session_usage_pauses (
    session_id        uuid NOT NULL,
    paused_at         timestamptz NOT NULL,
    resumed_at        timestamptz,
    PRIMARY KEY (session_id, paused_at)
);
