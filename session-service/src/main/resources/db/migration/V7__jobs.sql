-- Jobs (docs/jobs.md). What an account asked for; the principal it acts as is named, no credential is kept.
CREATE TABLE jobs (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    kind text NOT NULL,
    input text NOT NULL,
    status text NOT NULL,
    attempts int NOT NULL DEFAULT 0,
    max_attempts int NOT NULL,
    result text,
    error_code text,
    error_message text,
    run_at timestamptz NOT NULL,
    idempotency_key text,
    principal_type text NOT NULL,
    principal_id uuid NOT NULL,
    key_id uuid,
    cancel_requested boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    started_at timestamptz,
    finished_at timestamptz
);
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_by_account ON jobs (account_id, created_at DESC, id DESC);
CREATE INDEX jobs_unfinished ON jobs (status) WHERE status IN ('queued', 'running');

-- An attempt is recorded before it runs: an execution revived after a crash is the next attempt.
CREATE TABLE job_attempts (
    job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt int NOT NULL,
    started_at timestamptz NOT NULL,
    PRIMARY KEY (job_id, attempt)
);

-- db-scheduler's table (its PostgreSQL schema, 16.x).
CREATE TABLE scheduled_tasks (
    task_name text NOT NULL,
    task_instance text NOT NULL,
    task_data bytea,
    execution_time timestamptz NOT NULL,
    picked boolean NOT NULL,
    picked_by text,
    last_success timestamptz,
    last_failure timestamptz,
    consecutive_failures int,
    last_heartbeat timestamptz,
    version bigint NOT NULL,
    priority smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
