-- Users known to an external identity provider: (issuer, subject) names them for good.
CREATE TABLE user_identities (
    issuer          text NOT NULL,
    subject         text NOT NULL,
    user_id         uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (issuer, subject)
);
