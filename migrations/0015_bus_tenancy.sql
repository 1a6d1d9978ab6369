-- Tenant rows on the bus. bus_log, outbox and inbox rows carry the org whose transaction
-- wrote them (NULL: a transaction scoped to no org, such as a dead letter of an undecodable
-- message). Row-level security applies to them as to every tenant table: a transaction sees
-- only its own org's rows, and an insert must be tagged with the transaction's org (or with
-- none when it has none), so a login scoped to org B cannot append a row tagged org A.
-- A consumer compares the org a message names with the org of the row that carried it and
-- rejects a mismatch (runtime.rs: the message is dead-lettered and audited in the org it
-- named).
--
-- What the bus machinery reads across orgs goes through the narrow SECURITY DEFINER
-- functions below, owned by the bypass role as baton_due_timers() is: a consumer's fetch, an
-- inbox claim, the relay's batch and its bookkeeping, readiness's outbox lag, and retention.
-- Service logins keep only INSERT on bus_log and outbox; every other access is a function.
--
-- Rows appended before this migration have no org. Those the embedded log holds with a
-- producer (migration 0014) but no org read as appended outside any org, so a consumer
-- rejects them if they name one: drain the embedded log (every consumer caught up) before
-- applying this migration to a running deployment.

ALTER TABLE bus_log ADD COLUMN org_id TEXT;
ALTER TABLE outbox ADD COLUMN org_id TEXT;
ALTER TABLE inbox ADD COLUMN org_id TEXT;

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['bus_log', 'outbox', 'inbox'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I '
            'USING (org_id = current_setting(''app.org_id'', true)) '
            'WITH CHECK (org_id IS NOT DISTINCT FROM NULLIF(current_setting(''app.org_id'', true), ''''))', t);
        EXECUTE format('CREATE POLICY cross_org_jobs ON %I TO baton_crossorg USING (true) WITH CHECK (true)', t);
    END LOOP;
END $$;

-- A consumer's read: up to `lim` entries per partition from each cursor, interleaved by rank
-- so one busy partition does not starve the others.
CREATE FUNCTION baton_bus_fetch(topics TEXT[], parts INT[], from_offsets BIGINT[], lim BIGINT)
RETURNS TABLE (topic TEXT, partition INT, "offset" BIGINT, key BYTEA, payload BYTEA,
               headers JSONB, producer TEXT, org_id TEXT)
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT l.topic, l.partition, l."offset", l.key, l.payload, l.headers, l.producer, l.org_id
    FROM unnest(topics, parts, from_offsets) AS c(t, p, from_offset)
    CROSS JOIN LATERAL (
        SELECT b.*, row_number() OVER (ORDER BY b."offset") AS rank FROM (
            SELECT * FROM bus_log g
            WHERE g.topic = c.t AND g.partition = c.p AND g."offset" >= c.from_offset
            ORDER BY g."offset" LIMIT lim) b
    ) l
    ORDER BY l.rank, l.topic, l.partition
$$;

-- A consumer claims a message for its group; false when the group already applied it (the
-- duplicate is counted on the row).
CREATE FUNCTION baton_inbox_claim(grp TEXT, msg TEXT, tpc TEXT, part INT, off BIGINT, org TEXT)
RETURNS BOOLEAN
LANGUAGE sql SECURITY DEFINER
AS $$
    INSERT INTO inbox (consumer_group, message_id, topic, partition, "offset", org_id)
    VALUES (grp, msg, tpc, part, off, org)
    ON CONFLICT (consumer_group, message_id)
    DO UPDATE SET duplicates = inbox.duplicates + 1, last_duplicate_at = now()
    RETURNING (xmax = 0)
$$;

-- The relay's batch: the oldest unsent outbox rows (the caller holds the relay's lock).
CREATE FUNCTION baton_outbox_unsent(lim BIGINT)
RETURNS TABLE (id BIGINT, topic TEXT, key BYTEA, payload BYTEA, headers JSONB)
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT o.id, o.topic, o.key, o.payload, o.headers
    FROM outbox o WHERE o.sent_at IS NULL ORDER BY o.id LIMIT lim
$$;

CREATE FUNCTION baton_outbox_mark_sent(ids BIGINT[]) RETURNS BIGINT
LANGUAGE sql SECURITY DEFINER
AS $$
    WITH s AS (UPDATE outbox SET sent_at = now() WHERE id = ANY (ids) RETURNING 1)
    SELECT count(*) FROM s
$$;

-- Sent rows kept `keep_hours` for inspection, then deleted.
CREATE FUNCTION baton_outbox_prune_sent(keep_hours INT) RETURNS BIGINT
LANGUAGE sql SECURITY DEFINER
AS $$
    WITH s AS (DELETE FROM outbox WHERE sent_at < now() - make_interval(hours => keep_hours) RETURNING 1)
    SELECT count(*) FROM s
$$;

-- Readiness: how long the oldest unsent outbox row has waited, in milliseconds (NULL: none).
CREATE FUNCTION baton_outbox_lag_ms() RETURNS BIGINT
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT (EXTRACT(EPOCH FROM now() - o.created_at) * 1000)::bigint
    FROM outbox o WHERE o.sent_at IS NULL ORDER BY o.id LIMIT 1
$$;

-- Retention of the effectively-once machinery, one batch of each per call (the caller
-- repeats while either was full): inbox claims older than inbox_hours, and log entries every
-- group has consumed that are older than log_hours.
CREATE FUNCTION baton_prune_bus(inbox_hours INT, log_hours INT, batch INT)
RETURNS TABLE (inbox BIGINT, log BIGINT)
LANGUAGE plpgsql SECURITY DEFINER
AS $$
BEGIN
    WITH gone AS (DELETE FROM inbox WHERE ctid IN (
        SELECT i.ctid FROM inbox i
        WHERE i.received_at < now() - make_interval(hours => inbox_hours) LIMIT batch)
        RETURNING 1)
    SELECT count(*) INTO inbox FROM gone;
    WITH gone AS (DELETE FROM bus_log WHERE ctid IN (
        SELECT l.ctid FROM bus_log l
        JOIN (SELECT o.topic, o.partition, min(o.next_offset) AS consumed
              FROM bus_offsets o GROUP BY o.topic, o.partition) g
          ON g.topic = l.topic AND g.partition = l.partition
        WHERE l."offset" < g.consumed
          AND l.appended_at < now() - make_interval(hours => log_hours)
        LIMIT batch)
        RETURNING 1)
    SELECT count(*) INTO log FROM gone;
    RETURN NEXT;
END
$$;

DO $$
DECLARE f TEXT;
BEGIN
    FOREACH f IN ARRAY ARRAY[
        'baton_bus_fetch(TEXT[], INT[], BIGINT[], BIGINT)',
        'baton_inbox_claim(TEXT, TEXT, TEXT, INT, BIGINT, TEXT)',
        'baton_outbox_unsent(BIGINT)',
        'baton_outbox_mark_sent(BIGINT[])',
        'baton_outbox_prune_sent(INT)',
        'baton_outbox_lag_ms()',
        'baton_prune_bus(INT, INT, INT)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
        EXECUTE format('ALTER FUNCTION %s OWNER TO baton_crossorg', f);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO baton_app, baton_service', f);
    END LOOP;
END $$;

-- Service logins write the bus only by appending; reads, claims and deletes are the functions'.
REVOKE SELECT, UPDATE, DELETE ON bus_log, outbox, inbox FROM baton_service;
REVOKE INSERT ON inbox FROM baton_service;
