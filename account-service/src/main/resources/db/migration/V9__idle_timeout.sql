-- how long an account's sessions may sit idle; null takes the installation's default (0: forever)
ALTER TABLE account_limits ADD COLUMN idle_timeout_seconds bigint;
