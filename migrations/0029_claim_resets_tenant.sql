-- A batch applies its messages in one transaction without a savepoint each (a failure rolls
-- the batch back and the runtime applies the prefix again without the failing message), so
-- the tenant setting the message before set must be cleared before the next one is claimed.
-- The claim does it: every message's first statement, one round trip fewer per message. A
-- transaction-local setting made inside a function keeps after it returns (only the
-- function's own SET clause, the search path, is restored).
CREATE OR REPLACE FUNCTION baton_inbox_claim(grp TEXT, msg TEXT, tpc TEXT, part INT, off BIGINT, org TEXT)
RETURNS BOOLEAN
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
    fresh BOOLEAN;
BEGIN
    PERFORM set_config('app.org_id', '', true);
    INSERT INTO inbox AS i (consumer_group, message_id, topic, partition, "offset", org_id)
    VALUES (grp, msg, tpc, part, off, org)
    ON CONFLICT (consumer_group, message_id)
    DO UPDATE SET duplicates = i.duplicates + 1, last_duplicate_at = now()
    RETURNING (i.xmax = 0) INTO fresh;
    RETURN fresh;
END
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_inbox_claim(TEXT, TEXT, TEXT, INT, BIGINT, TEXT) SET search_path = %I, pg_temp', current_schema());
END $$;
