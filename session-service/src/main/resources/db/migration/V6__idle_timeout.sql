-- the account's idle timeout when the session was created (0: never idle out); rows from before: 0
ALTER TABLE sessions ADD COLUMN idle_timeout_seconds bigint NOT NULL DEFAULT 0;
