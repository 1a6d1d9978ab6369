-- Microsoft Graph mail: each connected mailbox's delta link (NULL = not started: the next
-- delta round only takes a link, no backfill) and the change subscriptions Baton created,
-- with the SHA-256 of each one's clientState (Graph echoes it on every notification; the
-- value itself is never stored).
CREATE TABLE graph_mailboxes (
    org_id         TEXT        NOT NULL REFERENCES orgs (id),
    user_id        TEXT        NOT NULL REFERENCES users (id),
    address        TEXT        NOT NULL UNIQUE,
    connection_id  UUID        NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    delta_link     TEXT,
    synced_at      TIMESTAMPTZ,
    PRIMARY KEY (org_id, user_id)
);
SELECT baton_enable_tenant_rls('graph_mailboxes');

CREATE TABLE graph_subscriptions (
    subscription_id      TEXT        PRIMARY KEY,
    org_id               TEXT        NOT NULL,
    user_id              TEXT        NOT NULL,
    client_state_sha256  BYTEA       NOT NULL,
    expires_at           TIMESTAMPTZ NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (org_id, user_id) REFERENCES graph_mailboxes (org_id, user_id) ON DELETE CASCADE
);
SELECT baton_enable_tenant_rls('graph_subscriptions');

-- The subscription a notification names, before its org is known.
CREATE FUNCTION baton_graph_subscription(subscription TEXT)
RETURNS TABLE (org_id TEXT, user_id TEXT, client_state_sha256 BYTEA)
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT s.org_id, s.user_id, s.client_state_sha256 FROM graph_subscriptions s
    WHERE s.subscription_id = subscription
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_graph_subscription(TEXT) SET search_path = %I, pg_temp', current_schema());
END $$;
ALTER FUNCTION baton_graph_subscription(TEXT) OWNER TO baton_crossorg;
REVOKE ALL ON FUNCTION baton_graph_subscription(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_graph_subscription(TEXT) TO baton_app, baton_ingress;

GRANT SELECT, INSERT, UPDATE, DELETE ON graph_mailboxes, graph_subscriptions TO baton_ingress;
GRANT SELECT ON graph_mailboxes, graph_subscriptions TO baton_cli;

-- The messages the ingress has published per mailbox (Gmail and Graph), so a sweep or a
-- fallback listing publishes only what no push brought. Kept 7 days (the upkeep prunes).
CREATE TABLE mail_seen (
    org_id       TEXT        NOT NULL REFERENCES orgs (id),
    user_id      TEXT        NOT NULL,
    message_key  TEXT        NOT NULL,
    seen_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, user_id, message_key)
);
CREATE INDEX mail_seen_at ON mail_seen (org_id, seen_at);
SELECT baton_enable_tenant_rls('mail_seen');
GRANT SELECT, INSERT, DELETE ON mail_seen TO baton_ingress;
