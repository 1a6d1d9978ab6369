-- Connections: an org's credentials for Slack (per workspace: bot token and signing secret)
-- and for each user's Google or Microsoft mailbox and calendar (OAuth refresh tokens),
-- stored sealed (envelope encryption: `sealed` under a data key of its own, `wrapped_key`
-- that data key under the master key `key_id` from the configuration; the database never
-- holds a key). One row per (provider, account) across all orgs: a Slack team or a mailbox
-- belongs to one org.
CREATE TABLE connections (
    id           UUID PRIMARY KEY,
    org_id       TEXT        NOT NULL REFERENCES orgs (id),
    provider     TEXT        NOT NULL CHECK (provider IN ('slack', 'google', 'microsoft')),
    account      TEXT        NOT NULL CHECK (length(account) BETWEEN 1 AND 320),
    user_id      TEXT        REFERENCES users (id),
    key_id       TEXT        NOT NULL,
    wrapped_key  BYTEA       NOT NULL,
    sealed       BYTEA       NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (provider, account)
);
CREATE INDEX connections_org ON connections (org_id, provider);
SELECT baton_enable_tenant_rls('connections');

-- The Slack workspace `team` (its sealed credentials and org), for the ingress verifying a
-- request signed with that workspace's secret before it knows the org.
CREATE FUNCTION baton_slack_connection(team TEXT)
RETURNS TABLE (org_id TEXT, id UUID, key_id TEXT, wrapped_key BYTEA, sealed BYTEA)
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT c.org_id, c.id, c.key_id, c.wrapped_key, c.sealed FROM connections c
    WHERE c.provider = 'slack' AND c.account = team
$$;

-- A workspace connected to an org belongs to it; else the org whose users are mapped in it.
CREATE OR REPLACE FUNCTION baton_org_for_slack_team(team TEXT) RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT COALESCE(
        (SELECT c.org_id FROM connections c WHERE c.provider = 'slack' AND c.account = team),
        (SELECT min(m.org_id) FROM slack_user_mappings m WHERE m.slack_team_id = team
         HAVING count(DISTINCT m.org_id) = 1))
$$;

DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_slack_connection(TEXT) SET search_path = %I, pg_temp', current_schema());
    -- CREATE OR REPLACE resets what the command does not say: the search path again.
    EXECUTE format('ALTER FUNCTION baton_org_for_slack_team(TEXT) SET search_path = %I, pg_temp', current_schema());
END $$;
ALTER FUNCTION baton_slack_connection(TEXT) OWNER TO baton_crossorg;
REVOKE ALL ON FUNCTION baton_slack_connection(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_slack_connection(TEXT) TO baton_app, baton_ingress;

-- The CLI manages them; the notifier posts with an org's bot token; the ingress opens an
-- org's workspace for `views.open`.
GRANT SELECT, INSERT, UPDATE, DELETE ON connections TO baton_cli;
GRANT SELECT ON connections TO baton_notifier, baton_ingress;
