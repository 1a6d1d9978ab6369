-- The AI budget check summed the org's whole month of `ai_cost_ledger` before every AI step
-- and every event the router validates: O(rows this month), growing all month. The ledger
-- stays the record (one row per attempt, its idempotency key); a per-(org, period) total is
-- rolled up from it periodically (the step-executor calls `baton_roll_up_ai_costs` every
-- minute), and the check reads total + the few rows not rolled up yet, in one statement, so
-- one snapshot sees each row either in the total or in the tail, never both or neither.
--
-- Nothing on the hot path writes the totals: a running total updated by every AI step's
-- transaction serialised an org's steps on one row and deadlocked batches that touch several
-- orgs in different orders. Only the roll-up writes them, one roll-up at a time (an advisory
-- lock; a second caller returns 0 at once).
ALTER TABLE ai_cost_ledger ADD COLUMN rolled_up BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX ai_cost_ledger_tail ON ai_cost_ledger (org_id, period) INCLUDE (cost_usd)
    WHERE NOT rolled_up;
-- Read only by the check, which now reads the tail.
DROP INDEX ai_cost_ledger_period;

CREATE TABLE ai_cost_totals (
    org_id     TEXT           NOT NULL REFERENCES orgs (id),
    period     TEXT           NOT NULL, -- YYYY-MM, as the ledger's
    cost_usd   NUMERIC(16, 6) NOT NULL,
    entries    BIGINT         NOT NULL,
    updated_at TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, period)
);
SELECT baton_enable_tenant_rls('ai_cost_totals');
GRANT SELECT ON ai_cost_totals TO baton_service;

-- Rolls up to `batch` ledger rows not yet in a total; returns how many (0 when another
-- roll-up is running). Across orgs, as baton_crossorg, like the other sweeps.
CREATE FUNCTION baton_roll_up_ai_costs(batch INT) RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
    n BIGINT;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('baton_roll_up_ai_costs')) THEN
        RETURN 0;
    END IF;
    WITH moved AS (
        UPDATE ai_cost_ledger l SET rolled_up = true
        WHERE l.id IN (SELECT id FROM ai_cost_ledger WHERE NOT rolled_up LIMIT batch)
        RETURNING l.org_id, l.period, l.cost_usd
    ), summed AS (
        SELECT org_id, period, sum(cost_usd) AS cost_usd, count(*) AS entries
        FROM moved GROUP BY org_id, period
    ), added AS (
        INSERT INTO ai_cost_totals AS t (org_id, period, cost_usd, entries)
        SELECT org_id, period, cost_usd, entries FROM summed ORDER BY org_id, period
        ON CONFLICT (org_id, period) DO UPDATE
            SET cost_usd = t.cost_usd + excluded.cost_usd,
                entries = t.entries + excluded.entries,
                updated_at = now()
    )
    SELECT COALESCE(sum(entries), 0) INTO n FROM summed;
    RETURN n;
END
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_roll_up_ai_costs(INT) SET search_path = %I, pg_temp', current_schema());
END $$;
ALTER FUNCTION baton_roll_up_ai_costs(INT) OWNER TO baton_crossorg;
REVOKE ALL ON FUNCTION baton_roll_up_ai_costs(INT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_roll_up_ai_costs(INT) TO baton_app, baton_step_executor;
