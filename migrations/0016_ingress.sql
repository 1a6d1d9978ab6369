-- The ingress: the HTTP receiver of providers' webhooks and Slack's interactivity.
--
-- webhook_receipts: one row per accepted delivery, keyed by the provider's dedupe key (see
-- services/ingress), written in the same transaction as what the delivery produces (an event
-- or a decision staged on the bus, a stored transcript), and only then answered 2xx: a
-- redelivery finds its row and produces nothing. Kept `retention.webhook_days` (7 by default,
-- longer than any provider retries). Tagged with the org the delivery was for when it names
-- one Baton knows; a delivery for no known org is recorded untagged (visible to no org).
CREATE TABLE webhook_receipts (
    provider     TEXT        NOT NULL,
    dedupe_key   TEXT        NOT NULL,
    org_id       TEXT        REFERENCES orgs (id),
    kind         TEXT        NOT NULL,
    outcome      TEXT        NOT NULL CHECK (outcome IN ('published', 'recorded', 'skipped')),
    detail       JSONB       NOT NULL DEFAULT '{}',
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, dedupe_key)
);
CREATE INDEX webhook_receipts_received ON webhook_receipts (received_at);

ALTER TABLE webhook_receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_receipts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_receipts
    USING (org_id = current_setting('app.org_id', true))
    WITH CHECK (org_id IS NOT DISTINCT FROM NULLIF(current_setting('app.org_id', true), ''));
CREATE POLICY cross_org_jobs ON webhook_receipts TO baton_crossorg USING (true) WITH CHECK (true);

-- Which org a Slack workspace belongs to (the team id is in the signed request): the one
-- cross-org read the ingress makes before it can scope a transaction. NULL when no org, or
-- more than one, maps the team.
CREATE FUNCTION baton_org_for_slack_team(team TEXT) RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT min(m.org_id) FROM slack_user_mappings m WHERE m.slack_team_id = team
    HAVING count(DISTINCT m.org_id) = 1
$$;

-- Retention: receipts older than `days`, one batch per call.
CREATE FUNCTION baton_prune_webhook_receipts(days INT, batch INT) RETURNS BIGINT
LANGUAGE sql SECURITY DEFINER
AS $$
    WITH gone AS (DELETE FROM webhook_receipts WHERE ctid IN (
        SELECT r.ctid FROM webhook_receipts r
        WHERE r.received_at < now() - make_interval(days => days) LIMIT batch)
        RETURNING 1)
    SELECT count(*) FROM gone
$$;

DO $$
DECLARE f TEXT;
BEGIN
    FOREACH f IN ARRAY ARRAY['baton_org_for_slack_team(TEXT)', 'baton_prune_webhook_receipts(INT, INT)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
        EXECUTE format('ALTER FUNCTION %s OWNER TO baton_crossorg', f);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO baton_app', f);
    END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION baton_prune_webhook_receipts(INT, INT) TO baton_service;

-- The ingress's login: the bus (baton_service), its receipts, the meetings whose transcripts
-- it stores, the Slack team lookup, and the gates whose drafts its Slack edit modal shows
-- (read only: deciding stays the approval-gateway's).
DO $$ BEGIN
    CREATE ROLE baton_ingress LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
GRANT baton_service TO baton_ingress;
GRANT SELECT, INSERT ON webhook_receipts TO baton_ingress;
GRANT SELECT ON meetings TO baton_ingress;
GRANT UPDATE (transcript, status) ON meetings TO baton_ingress;
GRANT EXECUTE ON FUNCTION baton_org_for_slack_team(TEXT) TO baton_ingress;
GRANT SELECT ON slack_pending_actions TO baton_ingress;

-- Replaying a dead letter (`baton deadletters replay`): the consuming group's claim on the
-- message is released so the republished copy is applied rather than dropped as a
-- duplicate. Across orgs (a claim may be untagged), so as the bypass role; true when a
-- claim was released.
CREATE FUNCTION baton_inbox_release(grp TEXT, msg TEXT) RETURNS BOOLEAN
LANGUAGE sql SECURITY DEFINER
AS $$
    WITH gone AS (DELETE FROM inbox WHERE consumer_group = grp AND message_id = msg RETURNING 1)
    SELECT count(*) > 0 FROM gone
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_inbox_release(TEXT, TEXT) SET search_path = %I, pg_temp', current_schema());
END $$;
ALTER FUNCTION baton_inbox_release(TEXT, TEXT) OWNER TO baton_crossorg;
REVOKE ALL ON FUNCTION baton_inbox_release(TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_inbox_release(TEXT, TEXT) TO baton_app, baton_cli;
