-- What /metrics reports from the database: one read across orgs, when Prometheus scrapes a
-- process that runs the router (at most every few seconds). Counts and ages only; the only
-- ids are org ids, consumer groups, topics and partitions, which are the series' labels.
-- Rows: (series, label a, label b, label c, value).
CREATE FUNCTION baton_metrics_sample()
RETURNS TABLE (series TEXT, a TEXT, b TEXT, c TEXT, value FLOAT8)
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
    SELECT 'jobs', j.org_id, j.status, '', count(*)::float8
    FROM sequence_jobs j GROUP BY j.org_id, j.status
    UNION ALL
    SELECT 'gates_pending', p.org_id, '', '', count(*)::float8
    FROM slack_pending_actions p WHERE p.status = 'pending' GROUP BY p.org_id
    UNION ALL
    SELECT 'gate_oldest_pending_age_seconds', p.org_id, '', '',
           EXTRACT(EPOCH FROM now() - min(p.created_at))::float8
    FROM slack_pending_actions p WHERE p.status = 'pending' GROUP BY p.org_id
    UNION ALL
    -- This month's AI spend (the rolled-up total and the ledger's tail) and the budget.
    SELECT 'ai_spend_usd', o.id, '', '',
           (COALESCE((SELECT t.cost_usd FROM ai_cost_totals t
                      WHERE t.org_id = o.id AND t.period = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM')), 0)
            + COALESCE((SELECT sum(l.cost_usd) FROM ai_cost_ledger l
                        WHERE l.org_id = o.id AND l.period = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM')
                          AND NOT l.rolled_up), 0))::float8
    FROM orgs o
    UNION ALL
    SELECT 'ai_budget_usd', o.id, '', '', o.ai_monthly_budget_usd::float8 FROM orgs o
    UNION ALL
    SELECT 'outbox_depth', '', '', '', count(*)::float8 FROM outbox o WHERE o.sent_at IS NULL
    UNION ALL
    -- The embedded bus: how far each group's offset is behind each partition's end.
    SELECT 'consumer_lag', g.consumer_group, g.topic, g.partition::text,
           GREATEST(p.next_offset - g.next_offset, 0)::float8
    FROM bus_offsets g JOIN bus_partitions p USING (topic, partition)
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_metrics_sample() SET search_path = %I, pg_temp', current_schema());
END $$;
ALTER FUNCTION baton_metrics_sample() OWNER TO baton_crossorg;
REVOKE ALL ON FUNCTION baton_metrics_sample() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_metrics_sample() TO baton_service, baton_app;
