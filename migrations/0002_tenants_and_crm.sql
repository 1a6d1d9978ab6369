-- Tenants, their people and settings, and the CRM records the orchestrator reads.

CREATE TABLE orgs (
    id                 TEXT PRIMARY KEY,
    name               TEXT        NOT NULL,
    domain             TEXT,
    default_currency   TEXT        NOT NULL DEFAULT 'USD',
    profile            JSONB       NOT NULL DEFAULT '{}',
    icp                JSONB       NOT NULL DEFAULT '{}',
    product_profile    JSONB       NOT NULL DEFAULT '{}',
    slack              JSONB       NOT NULL DEFAULT '{}',
    ai_monthly_budget_usd NUMERIC(12, 4) NOT NULL DEFAULT 0,
    ai_budget_alert_pct   INT      NOT NULL DEFAULT 80,
    ai_budget_hard_stop   BOOLEAN  NOT NULL DEFAULT true,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    org_id      TEXT    NOT NULL REFERENCES orgs (id),
    name        TEXT    NOT NULL,
    email       TEXT    NOT NULL,
    role        TEXT    NOT NULL DEFAULT 'ae',
    is_admin    BOOLEAN NOT NULL DEFAULT false,
    manager_id  TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE notification_feature_settings (
    org_id   TEXT    NOT NULL REFERENCES orgs (id),
    feature  TEXT    NOT NULL,
    enabled  BOOLEAN NOT NULL DEFAULT true,
    config   JSONB   NOT NULL DEFAULT '{}',
    PRIMARY KEY (org_id, feature)
);

CREATE TABLE slack_user_preferences (
    user_id                    TEXT PRIMARY KEY REFERENCES users (id),
    org_id                     TEXT NOT NULL REFERENCES orgs (id),
    timezone                   TEXT NOT NULL DEFAULT 'UTC',
    quiet_hours_start          TIME,
    quiet_hours_end            TIME,
    max_notifications_per_hour INT  NOT NULL DEFAULT 10 CHECK (max_notifications_per_hour > 0),
    morning_brief_time         TIME NOT NULL DEFAULT '08:00'
);

CREATE TABLE slack_user_mappings (
    org_id         TEXT NOT NULL REFERENCES orgs (id),
    user_id        TEXT NOT NULL REFERENCES users (id),
    slack_team_id  TEXT NOT NULL,
    slack_user_id  TEXT NOT NULL,
    PRIMARY KEY (slack_team_id, slack_user_id),
    UNIQUE (org_id, user_id)
);

CREATE TABLE companies (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES orgs (id),
    name              TEXT NOT NULL,
    domain            TEXT,
    industry          TEXT,
    employees         INT,
    field_technicians INT,
    hq                TEXT,
    timezone          TEXT
);
CREATE INDEX companies_org ON companies (org_id);

CREATE TABLE contacts (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs (id),
    company_id  TEXT REFERENCES companies (id),
    name        TEXT NOT NULL,
    title       TEXT,
    email       TEXT,
    phone       TEXT,
    timezone    TEXT
);
CREATE INDEX contacts_org ON contacts (org_id);

CREATE TABLE deals (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES orgs (id),
    company_id          TEXT REFERENCES companies (id),
    primary_contact_id  TEXT REFERENCES contacts (id),
    owner_user_id       TEXT REFERENCES users (id),
    name                TEXT NOT NULL,
    stage               TEXT NOT NULL CHECK (stage IN ('prospecting', 'discovery', 'demo', 'proposal', 'negotiation', 'closed_won', 'closed_lost')),
    deal_type           TEXT,
    amount              NUMERIC(14, 2),
    currency            TEXT,
    close_date          DATE,
    created_at          TIMESTAMPTZ,
    last_activity_at    TIMESTAMPTZ
);
CREATE INDEX deals_org_activity ON deals (org_id, last_activity_at);

-- Transcripts are stored once, here, and referenced by meeting id everywhere else.
CREATE TABLE meetings (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES orgs (id),
    title              TEXT,
    kind               TEXT,
    status             TEXT,
    starts_at          TIMESTAMPTZ,
    ends_at            TIMESTAMPTZ,
    timezone           TEXT,
    organizer_user_id  TEXT REFERENCES users (id),
    company_id         TEXT REFERENCES companies (id),
    contact_id         TEXT REFERENCES contacts (id),
    deal_id            TEXT REFERENCES deals (id),
    attendees          JSONB NOT NULL DEFAULT '[]',
    transcript         JSONB
);
CREATE INDEX meetings_org_deal ON meetings (org_id, deal_id);

CREATE TABLE calendar_events (
    id          TEXT NOT NULL,
    org_id      TEXT NOT NULL REFERENCES orgs (id),
    owner_id    TEXT NOT NULL,
    title       TEXT,
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ NOT NULL,
    timezone    TEXT,
    status      TEXT,
    attendees   JSONB NOT NULL DEFAULT '[]',
    recurrence  TEXT,
    data        JSONB NOT NULL DEFAULT '{}',
    PRIMARY KEY (org_id, owner_id, id)
);
CREATE INDEX calendar_events_start ON calendar_events (org_id, starts_at);

CREATE TABLE email_threads (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES orgs (id),
    user_id        TEXT REFERENCES users (id),
    contact_id     TEXT REFERENCES contacts (id),
    deal_id        TEXT REFERENCES deals (id),
    subject        TEXT,
    messages       JSONB NOT NULL DEFAULT '[]',
    last_message_at TIMESTAMPTZ
);

CREATE TABLE activities (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      TEXT NOT NULL REFERENCES orgs (id),
    deal_id     TEXT REFERENCES deals (id),
    contact_id  TEXT REFERENCES contacts (id),
    user_id     TEXT REFERENCES users (id),
    kind        TEXT NOT NULL,
    summary     TEXT,
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX activities_deal ON activities (org_id, deal_id, occurred_at);

CREATE TABLE tasks (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id           TEXT NOT NULL REFERENCES orgs (id),
    owner_user_id    TEXT REFERENCES users (id),
    deal_id          TEXT REFERENCES deals (id),
    contact_id       TEXT REFERENCES contacts (id),
    title            TEXT NOT NULL,
    due_date         DATE,
    status           TEXT NOT NULL DEFAULT 'open',
    source_job_id    UUID,
    idempotency_key  TEXT UNIQUE,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE proposals (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id           TEXT NOT NULL REFERENCES orgs (id),
    deal_id          TEXT REFERENCES deals (id),
    title            TEXT NOT NULL,
    body             JSONB NOT NULL DEFAULT '{}',
    status           TEXT NOT NULL DEFAULT 'draft',
    source_job_id    UUID,
    idempotency_key  TEXT UNIQUE,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE campaigns (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES orgs (id),
    owner_user_id  TEXT REFERENCES users (id),
    name           TEXT NOT NULL,
    channel        TEXT,
    status         TEXT,
    audience       JSONB NOT NULL DEFAULT '{}',
    author_intent  TEXT
);

CREATE TABLE campaign_metrics (
    org_id        TEXT NOT NULL REFERENCES orgs (id),
    campaign_id   TEXT NOT NULL REFERENCES campaigns (id),
    day           DATE NOT NULL,
    sent          INT  NOT NULL DEFAULT 0,
    delivered     INT  NOT NULL DEFAULT 0,
    opened        INT  NOT NULL DEFAULT 0,
    replied       INT  NOT NULL DEFAULT 0,
    bounced       INT  NOT NULL DEFAULT 0,
    unsubscribed  INT  NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day)
);
