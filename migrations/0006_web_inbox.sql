-- The web inbox: every notification, whatever happens to its Slack delivery, for the console.
CREATE TABLE web_inbox (
    notification_id    UUID PRIMARY KEY,
    org_id             TEXT        NOT NULL REFERENCES orgs (id),
    user_id            TEXT        NOT NULL,
    kind               TEXT        NOT NULL CHECK (kind IN ('inform', 'approval')),
    text               TEXT        NOT NULL,
    blocks             JSONB,
    job_id             UUID,
    pending_action_id  UUID,
    created_at         TIMESTAMPTZ NOT NULL,
    read_at            TIMESTAMPTZ
);
CREATE INDEX web_inbox_user ON web_inbox (org_id, user_id, created_at DESC);
SELECT baton_enable_tenant_rls('web_inbox');
