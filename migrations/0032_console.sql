-- The web console: its own login role, what it reads, and who may use it for what.
--
-- baton_console reads runs, gates, the web inbox and the audit trail of the org its
-- transaction is scoped to (row-level security, as for every service), publishes decisions
-- through the bus (baton_service), and asks the router to act on a job through a timer, as
-- the CLI does: it never writes job state or a gate itself.
--
-- users.console_access: 'read_only' users see the console's pages and can act on nothing;
-- everyone else is a rep (their own runs and gates) or, with is_admin, an admin (the org's).

DO $$ BEGIN
    CREATE ROLE baton_console LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
GRANT baton_service TO baton_console;
GRANT SELECT ON step_runs, slack_pending_actions, skipped_events, web_inbox, audit_log,
    sequence_job_outputs, ai_cost_totals TO baton_console;
-- An admin replays a dead letter from the console as `baton deadletters replay` does.
GRANT EXECUTE ON FUNCTION baton_inbox_release(TEXT, TEXT) TO baton_console;

ALTER TABLE users ADD COLUMN console_access TEXT NOT NULL DEFAULT 'rep'
    CHECK (console_access IN ('rep', 'read_only'));

-- The development sign-in's user picker (console.dev_signin): every org's users, before a
-- session exists to scope a transaction by. Names and ids only.
CREATE FUNCTION baton_console_users() RETURNS TABLE (id TEXT, org_id TEXT, name TEXT)
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT u.id, u.org_id, u.name FROM users u ORDER BY u.org_id, u.name
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_console_users() SET search_path = %I, pg_temp', current_schema());
END $$;
ALTER FUNCTION baton_console_users() OWNER TO baton_crossorg;
REVOKE ALL ON FUNCTION baton_console_users() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_console_users() TO baton_console;

-- Sign in with Slack: the Baton user (and org) a verified Slack identity is mapped to, before
-- a session exists to scope a transaction by. None when the Slack user maps to no one.
CREATE FUNCTION baton_console_user_for_slack(team TEXT, slack_user TEXT)
RETURNS TABLE (org_id TEXT, user_id TEXT)
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT m.org_id, m.user_id FROM slack_user_mappings m
    WHERE m.slack_team_id = team AND m.slack_user_id = slack_user
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_console_user_for_slack(TEXT, TEXT) SET search_path = %I, pg_temp', current_schema());
END $$;
ALTER FUNCTION baton_console_user_for_slack(TEXT, TEXT) OWNER TO baton_crossorg;
REVOKE ALL ON FUNCTION baton_console_user_for_slack(TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_console_user_for_slack(TEXT, TEXT) TO baton_console;
