-- The ephemeral session an attempt booted: ended by the next attempt when its replica died before ending it.
ALTER TABLE job_attempts ADD COLUMN session_id uuid;
