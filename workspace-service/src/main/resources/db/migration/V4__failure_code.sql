-- The stable code of why an import failed (git_unreachable, git_repository_not_found, ...), beside
-- the human failure_reason, so clients match a code rather than a sentence.
ALTER TABLE workspaces ADD COLUMN failure_code text;
