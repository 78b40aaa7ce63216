-- Users' SSH public keys, per account: the SSH gateway lets a key in and acts as its user in each
-- account the key sits on. The same key may sit on several accounts, once per account and user.
CREATE TABLE ssh_keys (
    id           uuid PRIMARY KEY,
    account_id   uuid        NOT NULL REFERENCES accounts (id),
    user_id      uuid        NOT NULL REFERENCES users (id),
    name         text,
    key_type     text        NOT NULL,
    fingerprint  text        NOT NULL,
    public_key   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, user_id, fingerprint)
);
CREATE INDEX ssh_keys_fingerprint ON ssh_keys (fingerprint);
