-- The timer firer's one cross-org read: which timers are due, and for which org. It returns
-- ids only; each timer is then claimed and handled in a transaction scoped to its own org
-- (row-level security applies there as everywhere). SECURITY DEFINER as baton_crossorg, the
-- bypass role, so the service role itself never sees other orgs' rows.
CREATE FUNCTION baton_due_timers(at TIMESTAMPTZ, kinds TEXT[], lim INT)
RETURNS TABLE (org_id TEXT, id UUID)
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT t.org_id, t.id
    FROM timers t
    WHERE t.fired_at IS NULL AND t.due_at <= at AND t.kind = ANY (kinds)
    ORDER BY t.due_at
    LIMIT lim
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_due_timers(TIMESTAMPTZ, TEXT[], INT) SET search_path = %I, pg_temp', current_schema());
END $$;
ALTER FUNCTION baton_due_timers(TIMESTAMPTZ, TEXT[], INT) OWNER TO baton_crossorg;
REVOKE ALL ON FUNCTION baton_due_timers(TIMESTAMPTZ, TEXT[], INT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_due_timers(TIMESTAMPTZ, TEXT[], INT) TO baton_app;
