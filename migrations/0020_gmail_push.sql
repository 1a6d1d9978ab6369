-- Gmail push: each connected mailbox's high-water historyId (the last one its new messages
-- were fetched up to; NULL = not started: the next sync takes the mailbox's current one and
-- fetches from there on) and its `users.watch`.
CREATE TABLE mailbox_syncs (
    org_id            TEXT        NOT NULL REFERENCES orgs (id),
    user_id           TEXT        NOT NULL REFERENCES users (id),
    address           TEXT        NOT NULL UNIQUE,
    connection_id     UUID        NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    history_id        BIGINT,
    watch_expires_at  TIMESTAMPTZ,
    watch_renewed_at  TIMESTAMPTZ,
    synced_at         TIMESTAMPTZ,
    PRIMARY KEY (org_id, user_id)
);
SELECT baton_enable_tenant_rls('mailbox_syncs');

-- The mailbox a push names (its address is in the signed push), before its org is known.
CREATE FUNCTION baton_mailbox(mailbox TEXT) RETURNS TABLE (org_id TEXT, user_id TEXT)
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT m.org_id, m.user_id FROM mailbox_syncs m WHERE m.address = lower(mailbox)
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_mailbox(TEXT) SET search_path = %I, pg_temp', current_schema());
END $$;
ALTER FUNCTION baton_mailbox(TEXT) OWNER TO baton_crossorg;
REVOKE ALL ON FUNCTION baton_mailbox(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_mailbox(TEXT) TO baton_app, baton_ingress;

GRANT SELECT, INSERT, UPDATE, DELETE ON mailbox_syncs TO baton_ingress;
GRANT SELECT ON mailbox_syncs TO baton_cli;
