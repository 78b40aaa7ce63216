-- The hash of the credential a host's first registration issued: registering the id again, and
-- every heartbeat, must present it (no host takes over another's id). Null for rows from before:
-- their next registration with the join token issues one.
ALTER TABLE hosts ADD COLUMN credential_hash text;
