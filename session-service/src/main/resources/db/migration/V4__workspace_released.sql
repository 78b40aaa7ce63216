-- A terminated workspace session gives its workspace back only once its VM is gone; until then the
-- reconcile loop retries (destroy, then ReleaseWorkspace). Rows from before stay released.
ALTER TABLE sessions ADD COLUMN workspace_released boolean NOT NULL DEFAULT true;
