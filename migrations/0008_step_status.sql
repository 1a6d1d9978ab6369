-- A step attempt is recorded when it finishes: succeeded, failed, skipped or deferred (the
-- step-executor's StepStatus, the one enum the code has for it). Nothing ever wrote
-- 'running', so the constraint now allows exactly those four; a test compares every status
-- CHECK with its enum (crates/platform/tests/it/statuses.rs).
ALTER TABLE step_runs DROP CONSTRAINT step_runs_status_check;
ALTER TABLE step_runs ADD CONSTRAINT step_runs_status_check
    CHECK (status IN ('succeeded', 'failed', 'skipped', 'deferred'));
