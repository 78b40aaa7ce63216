-- what the account's idle timeout did when the session was created: 'terminate' or 'pause'
ALTER TABLE sessions ADD COLUMN idle_action text NOT NULL DEFAULT 'terminate';
