-- what an account's idle timeout does: 'terminate' or 'pause'; null takes the installation's default
ALTER TABLE account_limits ADD COLUMN idle_action text;
