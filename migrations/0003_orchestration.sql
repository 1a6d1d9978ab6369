-- Sequence runs, their steps and gates, and the bookkeeping that keeps every rule visible.

-- Every version of every sequence definition a run was pinned to.
CREATE TABLE sequence_definitions (
    version_hash  TEXT PRIMARY KEY,
    event_type    TEXT        NOT NULL,
    source_file   TEXT        NOT NULL,
    definition    JSONB       NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE sequence_jobs (
    id                UUID PRIMARY KEY,
    org_id            TEXT        NOT NULL REFERENCES orgs (id),
    user_id           TEXT        NOT NULL REFERENCES users (id),
    event_id          UUID        NOT NULL,
    event_type        TEXT        NOT NULL,
    event_source      TEXT        NOT NULL,
    event_chain       JSONB       NOT NULL DEFAULT '{"parent": null, "children": []}',
    trigger_payload   JSONB       NOT NULL DEFAULT '{}',
    -- SequenceState: steps_completed, current_step, outputs, pending_approvals,
    -- queued_followups, cost_accumulated, execution_metadata.
    context           JSONB       NOT NULL DEFAULT '{}',
    status            TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN
                        ('pending', 'deferred', 'in_progress', 'awaiting_approval', 'paused', 'completed', 'failed', 'cancelled')),
    paused_reason     TEXT,
    chain_depth       INT         NOT NULL DEFAULT 0 CHECK (chain_depth BETWEEN 0 AND 3),
    sequence_version  TEXT        NOT NULL REFERENCES sequence_definitions (version_hash),
    -- Optimistic lock: every write is `... WHERE version = $seen`; a zombie's late write
    -- updates 0 rows.
    version           BIGINT      NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at      TIMESTAMPTZ,
    UNIQUE (org_id, event_id)
);
CREATE INDEX sequence_jobs_status ON sequence_jobs (org_id, status, updated_at);

CREATE TABLE step_runs (
    id               UUID PRIMARY KEY,
    org_id           TEXT        NOT NULL REFERENCES orgs (id),
    job_id           UUID        NOT NULL REFERENCES sequence_jobs (id),
    step_index       INT         NOT NULL,
    step_name        TEXT        NOT NULL,
    attempt          INT         NOT NULL DEFAULT 1,
    status           TEXT        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped', 'deferred')),
    input_ref        JSONB       NOT NULL DEFAULT '{}',
    output           JSONB,
    error            TEXT,
    cost_usd         NUMERIC(12, 6) NOT NULL DEFAULT 0,
    idempotency_key  TEXT        NOT NULL,
    started_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at      TIMESTAMPTZ,
    duration_ms      BIGINT,
    UNIQUE (job_id, step_index, attempt)
);

CREATE TABLE slack_pending_actions (
    id                  UUID PRIMARY KEY,
    org_id              TEXT        NOT NULL REFERENCES orgs (id),
    job_id              UUID        NOT NULL REFERENCES sequence_jobs (id),
    user_id             TEXT        NOT NULL REFERENCES users (id),
    step_index          INT         NOT NULL,
    kind                TEXT        NOT NULL,
    draft               JSONB       NOT NULL DEFAULT '{}',
    editable_fields     TEXT[]      NOT NULL DEFAULT '{}',
    allowed_deciders    TEXT[]      NOT NULL DEFAULT '{}',
    status              TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'edited', 'skipped', 'cancelled', 'expired')),
    expires_at          TIMESTAMPTZ NOT NULL,
    on_timeout          TEXT        NOT NULL CHECK (on_timeout IN ('skip', 'cancel')),
    slack_channel       TEXT,
    slack_ts            TEXT,
    decision            TEXT,
    decided_by          TEXT,
    decided_at          TIMESTAMPTZ,
    user_modifications  JSONB,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (job_id, step_index)
);

-- One table drives deferrals, retry backoff, approval expiry, reminders and cron.
-- due_at is compared with the database's clock; fired_at makes firing exactly-once.
CREATE TABLE timers (
    id          UUID PRIMARY KEY,
    org_id      TEXT        NOT NULL REFERENCES orgs (id),
    kind        TEXT        NOT NULL,
    dedupe_key  TEXT        NOT NULL,
    due_at      TIMESTAMPTZ NOT NULL,
    payload     JSONB       NOT NULL DEFAULT '{}',
    fired_at    TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (org_id, kind, dedupe_key)
);
CREATE INDEX timers_due ON timers (due_at) WHERE fired_at IS NULL;

-- Dedupe window: the first event per (org, type, key) claims the row until expires_at.
CREATE TABLE processed_events (
    org_id        TEXT        NOT NULL,
    event_type    TEXT        NOT NULL,
    dedupe_key    TEXT        NOT NULL,
    event_id      UUID        NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, event_type, dedupe_key)
);

CREATE TABLE ai_cost_ledger (
    id               UUID PRIMARY KEY,
    org_id           TEXT        NOT NULL REFERENCES orgs (id),
    job_id           UUID,
    step_name        TEXT,
    skill            TEXT,
    model            TEXT,
    input_tokens     INT         NOT NULL DEFAULT 0,
    output_tokens    INT         NOT NULL DEFAULT 0,
    cost_usd         NUMERIC(12, 6) NOT NULL,
    period           TEXT        NOT NULL, -- YYYY-MM, the budget period
    idempotency_key  TEXT        NOT NULL UNIQUE,
    recorded_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ai_cost_ledger_period ON ai_cost_ledger (org_id, period);

CREATE TABLE notification_deliveries (
    id               UUID PRIMARY KEY,
    org_id           TEXT        NOT NULL REFERENCES orgs (id),
    user_id          TEXT        NOT NULL,
    notification_id  UUID        NOT NULL,
    channel          TEXT        NOT NULL CHECK (channel IN ('slack', 'web', 'log')),
    kind             TEXT        NOT NULL,
    status           TEXT        NOT NULL CHECK (status IN ('pending', 'deferred', 'sent', 'failed')),
    deferred_until   TIMESTAMPTZ,
    deferral_reason  TEXT,
    attempts         INT         NOT NULL DEFAULT 0,
    slack_channel    TEXT,
    slack_ts         TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at     TIMESTAMPTZ,
    UNIQUE (notification_id, channel)
);
CREATE INDEX notification_deliveries_rate ON notification_deliveries (org_id, user_id, delivered_at);

-- Why an event did nothing: every skip has a row and a reason.
CREATE TABLE skipped_events (
    id          UUID PRIMARY KEY,
    org_id      TEXT        NOT NULL,
    user_id     TEXT,
    event_id    UUID,
    event_type  TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    detail      JSONB       NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
    id          UUID PRIMARY KEY,
    org_id      TEXT        NOT NULL,
    job_id      UUID,
    service     TEXT        NOT NULL,
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    detail      JSONB       NOT NULL DEFAULT '{}',
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_job ON audit_log (org_id, job_id, occurred_at);
