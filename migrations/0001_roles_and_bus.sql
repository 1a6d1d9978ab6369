-- Roles. Services run as baton_app: not a superuser, not a table owner, no BYPASSRLS, so
-- row-level security always applies to them. baton_crossorg (BYPASSRLS, no login) is granted
-- only to the explicitly named cross-org jobs, which audit every use.
-- Roles are cluster-wide; creating them tolerates a concurrent migration doing the same.
DO $$ BEGIN
    CREATE ROLE baton_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$ BEGIN
    CREATE ROLE baton_crossorg NOLOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

-- Embedded bus: a durable, partitioned log in the database.
-- bus_partitions holds each partition's next offset; appending takes that row's lock, so
-- offsets become visible in order (a reader never sees offset n+1 committed before n).
CREATE TABLE bus_partitions (
    topic        TEXT    NOT NULL,
    partition    INT     NOT NULL,
    next_offset  BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (topic, partition)
);

CREATE TABLE bus_log (
    topic        TEXT        NOT NULL,
    partition    INT         NOT NULL,
    "offset"     BIGINT      NOT NULL,
    key          BYTEA,
    payload      BYTEA       NOT NULL,
    headers      JSONB       NOT NULL DEFAULT '[]',
    appended_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, "offset")
);

-- Consumer-group offsets: the next offset each group will read, per partition.
CREATE TABLE bus_offsets (
    consumer_group TEXT        NOT NULL,
    topic          TEXT        NOT NULL,
    partition      INT         NOT NULL,
    next_offset    BIGINT      NOT NULL DEFAULT 0,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition)
);

-- Inbox: one row per (consumer group, message id) applied. A conflict on insert is a
-- duplicate delivery; it is counted, so fault tests can see redeliveries happened.
CREATE TABLE inbox (
    consumer_group  TEXT        NOT NULL,
    message_id      TEXT        NOT NULL,
    topic           TEXT        NOT NULL,
    partition       INT         NOT NULL,
    "offset"        BIGINT      NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    duplicates      INT         NOT NULL DEFAULT 0,
    last_duplicate_at TIMESTAMPTZ,
    PRIMARY KEY (consumer_group, message_id)
);

-- Outbox (Kafka mode): messages produced inside a handler's transaction, published by the
-- relay afterwards. In embedded mode handlers append to bus_log directly instead.
CREATE TABLE outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic       TEXT        NOT NULL,
    key         BYTEA,
    payload     BYTEA       NOT NULL,
    headers     JSONB       NOT NULL DEFAULT '[]',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
