-- Tenant isolation. Every table with an org_id column (and orgs itself, keyed on id) gets
-- row-level security, enabled and forced, keyed on the transaction-local setting app.org_id
-- (`SELECT set_config('app.org_id', $1, true)`). With no org set the setting is NULL or '',
-- which matches no row. Later migrations that add tenant tables call
-- baton_enable_tenant_rls(); a catalog test fails if one is missed.

CREATE FUNCTION baton_enable_tenant_rls(tbl regclass, col name DEFAULT 'org_id') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format(
        'CREATE POLICY tenant_isolation ON %s USING (%I = current_setting(''app.org_id'', true)) '
        'WITH CHECK (%I = current_setting(''app.org_id'', true))', tbl, col, col);
    EXECUTE format('CREATE POLICY cross_org_jobs ON %s TO baton_crossorg USING (true) WITH CHECK (true)', tbl);
END $$;

SELECT baton_enable_tenant_rls('orgs', 'id');

DO $$
DECLARE t regclass;
BEGIN
    FOR t IN
        SELECT c.oid::regclass
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped
        WHERE n.nspname = current_schema() AND c.relkind = 'r'
    LOOP
        PERFORM baton_enable_tenant_rls(t);
    END LOOP;
END $$;

-- The service role gets data access, nothing more. Default privileges cover tables that
-- later migrations create.
DO $$ BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO baton_app, baton_crossorg', current_schema());
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO baton_app, baton_crossorg', current_schema());
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO baton_app, baton_crossorg', current_schema());
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO baton_app, baton_crossorg', current_schema());
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO baton_app, baton_crossorg', current_schema());
END $$;
REVOKE ALL ON _sqlx_migrations FROM baton_app, baton_crossorg;
