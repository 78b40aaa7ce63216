-- a session forked from another starts from its memory and disk (POST /v1/sessions/{id}/fork)
ALTER TABLE sessions ADD COLUMN forked_from uuid;
