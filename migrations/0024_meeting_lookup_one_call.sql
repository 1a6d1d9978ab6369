-- A MeetingBaaS `complete` resolves its org and meeting in one round trip instead of a
-- scoped transaction of five (BEGIN, set_config, two SELECTs, COMMIT). Not SECURITY DEFINER:
-- it runs as its caller, under row-level security, with app.org_id set to the org for its
-- own duration only (the caller's value is put back before it returns), so it can read
-- nothing its caller could not by scoping a transaction itself.

CREATE FUNCTION baton_meeting_in_org(org TEXT, meeting TEXT)
RETURNS TABLE (known BOOLEAN, id TEXT, organizer_user_id TEXT, deal_id TEXT, contact_id TEXT,
               attendees JSONB)
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    caller TEXT := current_setting('app.org_id', true);
BEGIN
    PERFORM set_config('app.org_id', org, true);
    known := EXISTS (SELECT 1 FROM orgs o WHERE o.id = org);
    IF known AND meeting IS NOT NULL THEN
        SELECT m.id, m.organizer_user_id, m.deal_id, m.contact_id, m.attendees
        INTO id, organizer_user_id, deal_id, contact_id, attendees
        FROM meetings m WHERE m.id = meeting;
    END IF;
    PERFORM set_config('app.org_id', COALESCE(caller, ''), true);
    RETURN NEXT;
END
$$;

DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION baton_meeting_in_org(TEXT, TEXT) SET search_path = %I, pg_temp',
                   current_schema());
END $$;
REVOKE ALL ON FUNCTION baton_meeting_in_org(TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION baton_meeting_in_org(TEXT, TEXT) TO baton_app, baton_ingress;
