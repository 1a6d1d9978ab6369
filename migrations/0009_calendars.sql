-- Calendars: who works when. One row per user or contact with their time zone, working
-- hours (local, possibly split intervals per weekday) and weekly recurring events (anchored
-- in their own zone); single events stay in calendar_events, the provider's event JSON in
-- `data`. The context-loader's `calendars` source reads both for find-available-slots and
-- the morning brief.
CREATE TABLE calendars (
    org_id         TEXT NOT NULL REFERENCES orgs (id),
    owner_id       TEXT NOT NULL,
    owner_type     TEXT NOT NULL CHECK (owner_type IN ('user', 'contact')),
    owner_name     TEXT,
    timezone       TEXT NOT NULL,
    working_hours  JSONB NOT NULL DEFAULT '{}',
    recurring      JSONB NOT NULL DEFAULT '[]',
    brief_time     TEXT,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, owner_id)
);
SELECT baton_enable_tenant_rls('calendars');
CREATE INDEX calendar_events_owner ON calendar_events (org_id, owner_id, starts_at);
