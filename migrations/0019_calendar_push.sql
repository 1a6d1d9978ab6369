-- Google Calendar push: the channels Baton opened (events.watch) and each watched
-- calendar's incremental-sync state.
--
-- calendar_syncs: one row per (org, user, calendar): the Google connection it reads with,
-- the last nextSyncToken (NULL = the next sync is a full one), when it last synced.
CREATE TABLE calendar_syncs (
    org_id         TEXT        NOT NULL REFERENCES orgs (id),
    user_id        TEXT        NOT NULL REFERENCES users (id),
    calendar_id    TEXT        NOT NULL,
    connection_id  UUID        NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    sync_token     TEXT,
    synced_at      TIMESTAMPTZ,
    PRIMARY KEY (org_id, user_id, calendar_id)
);
SELECT baton_enable_tenant_rls('calendar_syncs');

-- calendar_channels: a channel's id, the SHA-256 of the token Google echoes in
-- X-Goog-Channel-Token (the token itself is never stored), the resource id Google gave it,
-- and when it expires. A replacement overlaps the channel it replaces until that expires.
CREATE TABLE calendar_channels (
    channel_id    TEXT        PRIMARY KEY,
    org_id        TEXT        NOT NULL REFERENCES orgs (id),
    user_id       TEXT        NOT NULL,
    calendar_id   TEXT        NOT NULL,
    token_sha256  BYTEA       NOT NULL,
    resource_id   TEXT,
    expires_at    TIMESTAMPTZ NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (org_id, user_id, calendar_id)
        REFERENCES calendar_syncs (org_id, user_id, calendar_id) ON DELETE CASCADE
);
CREATE INDEX calendar_channels_expiry ON calendar_channels (expires_at);
SELECT baton_enable_tenant_rls('calendar_channels');

-- The channel a push names, before its org is known (the ingress verifying it).
CREATE FUNCTION baton_calendar_channel(channel TEXT)
RETURNS TABLE (org_id TEXT, user_id TEXT, calendar_id TEXT, token_sha256 BYTEA,
               resource_id TEXT, expires_at TIMESTAMPTZ)
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT c.org_id, c.user_id, c.calendar_id, c.token_sha256, c.resource_id, c.expires_at
    FROM calendar_channels c WHERE c.channel_id = channel
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_calendar_channel(TEXT) SET search_path = %I, pg_temp', current_schema());
END $$;
ALTER FUNCTION baton_calendar_channel(TEXT) OWNER TO baton_crossorg;
REVOKE ALL ON FUNCTION baton_calendar_channel(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_calendar_channel(TEXT) TO baton_app, baton_ingress;

-- The ingress syncs calendars: it writes the events and its sync state, and reads the
-- contacts and deals an event is about.
GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_syncs, calendar_channels TO baton_ingress;
GRANT INSERT, UPDATE, DELETE ON calendar_events TO baton_ingress;
GRANT SELECT ON contacts, deals, orgs TO baton_ingress;
GRANT SELECT ON calendar_syncs, calendar_channels TO baton_cli;
