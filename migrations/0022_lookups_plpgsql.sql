-- The ingress's per-request lookups in PL/pgSQL. A SQL function that is SECURITY DEFINER (or
-- has a SET clause) is never inlined, and PostgreSQL plans its body again on every call:
-- about 0.3 ms of server CPU for the Slack team lookup, more than the rest of a click. A
-- PL/pgSQL function keeps its plans for the session, so a pooled connection plans each
-- lookup once. Same names, arguments, results, owner and grants; CREATE OR REPLACE resets
-- the search path, so it is set again below.

CREATE OR REPLACE FUNCTION baton_org_for_slack_team(team TEXT) RETURNS TEXT
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
BEGIN
    RETURN COALESCE(
        (SELECT c.org_id FROM connections c WHERE c.provider = 'slack' AND c.account = team),
        (SELECT min(m.org_id) FROM slack_user_mappings m WHERE m.slack_team_id = team
         HAVING count(DISTINCT m.org_id) = 1));
END
$$;

CREATE OR REPLACE FUNCTION baton_slack_connection(team TEXT)
RETURNS TABLE (org_id TEXT, id UUID, key_id TEXT, wrapped_key BYTEA, sealed BYTEA)
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT c.org_id, c.id, c.key_id, c.wrapped_key, c.sealed FROM connections c
    WHERE c.provider = 'slack' AND c.account = team;
END
$$;

CREATE OR REPLACE FUNCTION baton_calendar_channel(channel TEXT)
RETURNS TABLE (org_id TEXT, user_id TEXT, calendar_id TEXT, token_sha256 BYTEA,
               resource_id TEXT, expires_at TIMESTAMPTZ)
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT c.org_id, c.user_id, c.calendar_id, c.token_sha256, c.resource_id, c.expires_at
    FROM calendar_channels c WHERE c.channel_id = channel;
END
$$;

CREATE OR REPLACE FUNCTION baton_mailbox(mailbox TEXT) RETURNS TABLE (org_id TEXT, user_id TEXT)
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT m.org_id, m.user_id FROM mailbox_syncs m WHERE m.address = lower(mailbox);
END
$$;

CREATE OR REPLACE FUNCTION baton_graph_subscription(subscription TEXT)
RETURNS TABLE (org_id TEXT, user_id TEXT, client_state_sha256 BYTEA)
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT s.org_id, s.user_id, s.client_state_sha256 FROM graph_subscriptions s
    WHERE s.subscription_id = subscription;
END
$$;

DO $$
DECLARE f TEXT;
BEGIN
    FOREACH f IN ARRAY ARRAY['baton_org_for_slack_team(TEXT)', 'baton_slack_connection(TEXT)',
                             'baton_calendar_channel(TEXT)', 'baton_mailbox(TEXT)',
                             'baton_graph_subscription(TEXT)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
    END LOOP;
END $$;
