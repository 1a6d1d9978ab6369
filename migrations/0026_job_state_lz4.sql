-- A job's state (`sequence_jobs.context`: the loaded context, the step outputs) is rewritten
-- on every step result and read on every step, and once it passes the TOAST threshold
-- (about 2 kB) each write compresses it again: pglz_compress was the busiest PostgreSQL
-- function in a `bench sequencing` profile. lz4 compresses and decompresses several times
-- faster; so for step outputs and inputs. Where the server has no lz4 the columns keep pglz.
DO $$ BEGIN
    ALTER TABLE sequence_jobs ALTER COLUMN context SET COMPRESSION lz4;
    ALTER TABLE step_runs ALTER COLUMN output SET COMPRESSION lz4,
                          ALTER COLUMN input_ref SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no lz4: job state and step outputs stay pglz';
END $$;
