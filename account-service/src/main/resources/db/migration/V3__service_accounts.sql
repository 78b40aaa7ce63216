-- Non-human principals of an organization. Their keys act in that organization only.
CREATE TABLE service_accounts (
    id              uuid PRIMARY KEY,
    account_id      uuid NOT NULL REFERENCES accounts (id),
    name            text NOT NULL,
    disabled        boolean NOT NULL DEFAULT false,
    created_by      uuid REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    deleted_at      timestamptz
);
CREATE INDEX service_accounts_account ON service_accounts (account_id);

ALTER TABLE api_keys ADD COLUMN service_account_id uuid REFERENCES service_accounts (id);
ALTER TABLE api_keys ADD CONSTRAINT api_keys_one_owner CHECK ((user_id IS NULL) <> (service_account_id IS NULL));
