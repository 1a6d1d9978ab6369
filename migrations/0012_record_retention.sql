-- Retention of the records that grow with every event: the audit trail, skipped events, the
-- dedupe window's claims and the step-executor's attempts. Pruning spans every org, so it
-- runs as baton_crossorg (the bypass role) through this one function, as the timer scan
-- does; it deletes at most `batch` rows of each per call (the caller repeats while a table
-- had a full batch), and only what is past its retention:
--   audit_log       older than audit_days;
--   skipped_events  older than skipped_days;
--   processed_events whose dedupe window (expires_at) has passed;
--   step_runs       of jobs that finished more than step_run_days ago (a running job's
--                   attempts are what a redelivered step request is answered from).
CREATE FUNCTION baton_prune_records(audit_days INT, skipped_days INT, step_run_days INT, batch INT)
RETURNS TABLE (audit BIGINT, skipped BIGINT, processed BIGINT, step_runs BIGINT)
LANGUAGE plpgsql SECURITY DEFINER
AS $$
BEGIN
    WITH gone AS (DELETE FROM audit_log WHERE ctid IN (
        SELECT ctid FROM audit_log WHERE occurred_at < now() - make_interval(days => audit_days) LIMIT batch)
        RETURNING 1)
    SELECT count(*) INTO audit FROM gone;
    WITH gone AS (DELETE FROM skipped_events WHERE ctid IN (
        SELECT ctid FROM skipped_events WHERE created_at < now() - make_interval(days => skipped_days) LIMIT batch)
        RETURNING 1)
    SELECT count(*) INTO skipped FROM gone;
    WITH gone AS (DELETE FROM processed_events WHERE ctid IN (
        SELECT ctid FROM processed_events WHERE expires_at < now() LIMIT batch)
        RETURNING 1)
    SELECT count(*) INTO processed FROM gone;
    WITH gone AS (DELETE FROM step_runs WHERE ctid IN (
        SELECT r.ctid FROM step_runs r JOIN sequence_jobs j ON j.id = r.job_id
        WHERE j.completed_at < now() - make_interval(days => step_run_days) LIMIT batch)
        RETURNING 1)
    SELECT count(*) INTO step_runs FROM gone;
    RETURN NEXT;
END
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_prune_records(INT, INT, INT, INT) SET search_path = %I, pg_temp', current_schema());
END $$;
ALTER FUNCTION baton_prune_records(INT, INT, INT, INT) OWNER TO baton_crossorg;
REVOKE ALL ON FUNCTION baton_prune_records(INT, INT, INT, INT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_prune_records(INT, INT, INT, INT) TO baton_app;
