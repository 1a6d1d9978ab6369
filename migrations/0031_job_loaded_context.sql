-- The context the context-loader loaded for a job (its tiers: the deal, the contacts, recent
-- meetings, …) gets a column of its own, written once when it arrives. Inside
-- `sequence_jobs.context` it was most of the state's bytes and rewritten with every result
-- of the job. In its own column an UPDATE that leaves it alone keeps its TOAST pointer: the
-- value is neither compressed again nor written to the WAL again.
ALTER TABLE sequence_jobs ADD COLUMN loaded_context JSONB;
DO $$ BEGIN
    ALTER TABLE sequence_jobs ALTER COLUMN loaded_context SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no lz4: the loaded context stays pglz';
END $$;

UPDATE sequence_jobs
SET loaded_context = NULLIF(context -> 'context', 'null'::jsonb), context = context - 'context'
WHERE context ? 'context';

-- A job's whole SequenceState as one value: its state, the loaded context and the step
-- outputs (row-level security applies), for readers that show or check a job.
CREATE FUNCTION baton_job_state(job sequence_jobs) RETURNS JSONB
LANGUAGE sql STABLE AS $$
    SELECT job.context || jsonb_build_object(
        'context', job.loaded_context, 'outputs', baton_job_outputs(job.id))
$$;
