-- A job's step outputs, one row per step, written once when the step finishes. They were a
-- map inside `sequence_jobs.context`, which the router rewrites on every result of the job:
-- each write carried every earlier output again (a meeting_ended job's summary, drafts and
-- commitments, compressed and WAL-logged once per later step). The job row now holds what
-- the state machine needs; readers get the outputs back through `baton_job_outputs` (the
-- router's and the step-executor's job load merges them in, in the same statement).
CREATE TABLE sequence_job_outputs (
    job_id    UUID  NOT NULL REFERENCES sequence_jobs (id) ON DELETE CASCADE,
    org_id    TEXT  NOT NULL REFERENCES orgs (id),
    step_name TEXT  NOT NULL,
    output    JSONB NOT NULL,
    PRIMARY KEY (job_id, step_name)
);
SELECT baton_enable_tenant_rls('sequence_job_outputs');
DO $$ BEGIN
    ALTER TABLE sequence_job_outputs ALTER COLUMN output SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no lz4: step outputs stay pglz';
END $$;

-- Only the router writes jobs; every service reads them (as sequence_jobs).
GRANT SELECT ON sequence_job_outputs TO baton_service, baton_cli;
GRANT INSERT, UPDATE ON sequence_job_outputs TO baton_router;

-- Job `job`'s outputs by step name (an empty object when it has none), as the caller may
-- see them (row-level security applies).
CREATE FUNCTION baton_job_outputs(job UUID) RETURNS JSONB
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(jsonb_object_agg(step_name, output), '{}'::jsonb)
    FROM sequence_job_outputs WHERE job_id = job
$$;

-- The outputs of the jobs there are, moved out of their state.
INSERT INTO sequence_job_outputs (job_id, org_id, step_name, output)
SELECT j.id, j.org_id, o.key, o.value
FROM sequence_jobs j, jsonb_each(j.context -> 'outputs') o
WHERE jsonb_typeof(j.context -> 'outputs') = 'object';
UPDATE sequence_jobs SET context = context - 'outputs' WHERE context ? 'outputs';
