-- One login role per service, none a superuser, none BYPASSRLS, each granted only what its
-- work needs. A service logs in as its own role (baton_router, …) — never as the owner and
-- `SET ROLE`, which a `RESET ROLE` would undo — and refuses to start when its login is a
-- superuser or bypasses row-level security. Row-level security applies to every one of them.
--
-- baton_service (no login) holds what every service's platform needs: the embedded bus, the
-- inbox/outbox, timers, audit writes, the pinned sequence definitions, and the reads every
-- validation makes (orgs, users, their preferences and Slack mappings, the AI budget). Each
-- service role adds its own tables. Only the router writes sequence_jobs; only the
-- approval-gateway writes slack_pending_actions (so only it can decide a gate).
--
-- Roles are cluster-wide; creating them tolerates another database's migration doing the same.

DO $$
DECLARE r TEXT;
BEGIN
    BEGIN
        CREATE ROLE baton_service NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    FOREACH r IN ARRAY ARRAY['baton_router', 'baton_context_loader', 'baton_step_executor',
                             'baton_approval_gateway', 'baton_notifier', 'baton_cli']
    LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT', r);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
        EXECUTE format('GRANT baton_service TO %I', r);
    END LOOP;
END $$;

DO $$ BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO baton_service', current_schema());
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO baton_service', current_schema());
END $$;

-- Every service: the bus, dedupe records, timers, audit, definitions, validation reads.
GRANT SELECT, INSERT, UPDATE ON bus_partitions TO baton_service;
GRANT SELECT, INSERT, DELETE ON bus_log TO baton_service;
GRANT SELECT, INSERT, UPDATE, DELETE ON bus_offsets, inbox, outbox, timers TO baton_service;
GRANT INSERT ON audit_log TO baton_service;
GRANT SELECT, INSERT, UPDATE ON processed_events TO baton_service;
GRANT SELECT, INSERT ON sequence_definitions TO baton_service;
GRANT SELECT ON orgs, users, slack_user_preferences, slack_user_mappings,
    notification_feature_settings, ai_cost_ledger, sequence_jobs TO baton_service;
GRANT EXECUTE ON FUNCTION baton_due_timers(TIMESTAMPTZ, TEXT[], INT) TO baton_service;
GRANT EXECUTE ON FUNCTION baton_prune_records(INT, INT, INT, INT) TO baton_service;

-- The router: jobs (it alone writes them), skipped events, the gates it checks decisions
-- against, and what its rules and the pipeline scan read.
GRANT INSERT, UPDATE ON sequence_jobs TO baton_router;
GRANT INSERT ON skipped_events TO baton_router;
GRANT SELECT ON slack_pending_actions, deals, contacts, companies, activities, step_runs
    TO baton_router;

-- The context-loader reads the CRM and calendars; it writes nothing of the tenant's.
GRANT SELECT ON activities, calendar_events, calendars, campaign_metrics, campaigns,
    companies, contacts, deals, email_threads, meetings, tasks TO baton_context_loader;

-- The step-executor: step attempts, AI cost, and the CRM actions a sequence may take.
GRANT SELECT, INSERT, UPDATE ON step_runs, email_threads, proposals, tasks, contacts
    TO baton_step_executor;
GRANT SELECT, INSERT ON ai_cost_ledger, activities TO baton_step_executor;
GRANT SELECT, UPDATE ON deals TO baton_step_executor;
GRANT SELECT ON companies, meetings, calendar_events, calendars, campaigns, campaign_metrics
    TO baton_step_executor;

-- The approval-gateway: it alone opens and decides gates.
GRANT SELECT, INSERT, UPDATE ON slack_pending_actions TO baton_approval_gateway;
GRANT SELECT ON step_runs TO baton_approval_gateway;

-- The notifier: deliveries, Slack posting attempts, the web inbox.
GRANT SELECT, INSERT, UPDATE ON notification_deliveries, web_inbox TO baton_notifier;
GRANT SELECT, INSERT, UPDATE, DELETE ON slack_post_attempts TO baton_notifier;

-- The CLI's operator commands read what they show and publish through the bus; their
-- effects are applied by the services (job control and scans as router timers).
GRANT SELECT ON sequence_jobs, step_runs, slack_pending_actions, skipped_events, deals,
    contacts, companies, meetings, notification_deliveries, web_inbox, audit_log TO baton_cli;
