-- Schedules: the ingress plans each org's firings (morning briefs, pre-meeting prep, the
-- pipeline scan, campaign checks, coaching digests) as rows of `timers` and fires them.
--
-- The orgs it plans for are listed through this narrow cross-org function (ids only); each
-- org is then planned in its own scoped transaction under row-level security.
CREATE FUNCTION baton_schedule_orgs() RETURNS SETOF TEXT
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT o.id FROM orgs o ORDER BY o.id
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_schedule_orgs() SET search_path = %I, pg_temp', current_schema());
END $$;
ALTER FUNCTION baton_schedule_orgs() OWNER TO baton_crossorg;
REVOKE ALL ON FUNCTION baton_schedule_orgs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_schedule_orgs() TO baton_app, baton_ingress, baton_cli;

-- What planning reads: who works when (calendars), the events that get a prep, and who owns
-- an active campaign. `baton schedules list` plans the same way, read-only.
GRANT SELECT ON calendars, calendar_events, campaigns TO baton_ingress, baton_cli;
GRANT SELECT ON timers TO baton_cli;

-- Planning looks up an org's unfired timers of a kind.
CREATE INDEX timers_org_kind_pending ON timers (org_id, kind, due_at) WHERE fired_at IS NULL;
