-- The bus's hot functions in PL/pgSQL: a consumer's fetch (every poll), the inbox claim
-- (every message, every consumer group), the relay's batch and its bookkeeping, and the
-- timer scan. As SECURITY DEFINER SQL functions PostgreSQL (before 18) planned their bodies
-- again on every call (migration 0022 measured this for the Slack team lookup); PL/pgSQL
-- keeps its plans per connection. Same names, arguments, results, owner and grants;
-- CREATE OR REPLACE resets the search path, so it is set again below.

CREATE OR REPLACE FUNCTION baton_bus_fetch(topics TEXT[], parts INT[], from_offsets BIGINT[], lim BIGINT)
RETURNS TABLE (topic TEXT, partition INT, "offset" BIGINT, key BYTEA, payload BYTEA,
               headers JSONB, producer TEXT, org_id TEXT)
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT l.topic, l.partition, l."offset", l.key, l.payload, l.headers, l.producer, l.org_id
    FROM unnest(topics, parts, from_offsets) AS c(t, p, from_offset)
    CROSS JOIN LATERAL (
        SELECT b.*, row_number() OVER (ORDER BY b."offset") AS rank FROM (
            SELECT * FROM bus_log g
            WHERE g.topic = c.t AND g.partition = c.p AND g."offset" >= c.from_offset
            ORDER BY g."offset" LIMIT lim) b
    ) l
    ORDER BY l.rank, l.topic, l.partition;
END
$$;

CREATE OR REPLACE FUNCTION baton_inbox_claim(grp TEXT, msg TEXT, tpc TEXT, part INT, off BIGINT, org TEXT)
RETURNS BOOLEAN
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
    fresh BOOLEAN;
BEGIN
    INSERT INTO inbox AS i (consumer_group, message_id, topic, partition, "offset", org_id)
    VALUES (grp, msg, tpc, part, off, org)
    ON CONFLICT (consumer_group, message_id)
    DO UPDATE SET duplicates = i.duplicates + 1, last_duplicate_at = now()
    RETURNING (i.xmax = 0) INTO fresh;
    RETURN fresh;
END
$$;

CREATE OR REPLACE FUNCTION baton_outbox_unsent(lim BIGINT)
RETURNS TABLE (id BIGINT, topic TEXT, key BYTEA, payload BYTEA, headers JSONB)
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT o.id, o.topic, o.key, o.payload, o.headers
    FROM outbox o WHERE o.sent_at IS NULL ORDER BY o.id LIMIT lim;
END
$$;

CREATE OR REPLACE FUNCTION baton_outbox_mark_sent(ids BIGINT[]) RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
    marked BIGINT;
BEGIN
    UPDATE outbox SET sent_at = now() WHERE id = ANY (ids);
    GET DIAGNOSTICS marked = ROW_COUNT;
    RETURN marked;
END
$$;

CREATE OR REPLACE FUNCTION baton_due_timers(at TIMESTAMPTZ, kinds TEXT[], lim INT)
RETURNS TABLE (org_id TEXT, id UUID)
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT t.org_id, t.id
    FROM timers t
    WHERE t.fired_at IS NULL AND t.due_at <= at AND t.kind = ANY (kinds)
    ORDER BY t.due_at
    LIMIT lim;
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
        'baton_due_timers(TIMESTAMPTZ, TEXT[], INT)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
    END LOOP;
END $$;
