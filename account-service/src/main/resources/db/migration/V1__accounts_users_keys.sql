-- Users sign in (password or OIDC); accounts own resources; memberships give users roles in accounts.
CREATE TABLE users (
    id              uuid PRIMARY KEY,
    email           text NOT NULL,
    password_hash   text,
    created_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE accounts (
    id              uuid PRIMARY KEY,
    name            text NOT NULL,
    type            text NOT NULL CHECK (type IN ('personal', 'organization')),
    -- the user whose implicit personal account this is; null for organizations
    personal_of     uuid UNIQUE REFERENCES users (id),
    created_at      timestamptz NOT NULL
);

CREATE TABLE memberships (
    account_id      uuid NOT NULL REFERENCES accounts (id),
    user_id         uuid NOT NULL REFERENCES users (id),
    role            text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (account_id, user_id)
);

-- Only a SHA-256 of each secret is stored; key_prefix identifies a key to people.
CREATE TABLE api_keys (
    id              uuid PRIMARY KEY,
    account_id      uuid NOT NULL REFERENCES accounts (id),
    user_id         uuid REFERENCES users (id),
    name            text,
    key_prefix      text NOT NULL,
    key_hash        text NOT NULL UNIQUE,
    scopes          text[] NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL,
    last_used_at    timestamptz,
    revoked_at      timestamptz
);
CREATE INDEX api_keys_account ON api_keys (account_id);
