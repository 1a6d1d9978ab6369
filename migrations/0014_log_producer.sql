-- Who appended each embedded-log entry: the database login that inserted it, set by a
-- trigger from session_user (which neither SET ROLE nor a SECURITY DEFINER function changes,
-- and which an INSERT cannot supply), so a consumer knows which service produced a message
-- from its credentials rather than from anything the message says. Rows written before this
-- migration have no producer.
ALTER TABLE bus_log ADD COLUMN producer TEXT;

CREATE FUNCTION baton_stamp_producer() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.producer := session_user;
    RETURN NEW;
END $$;

CREATE TRIGGER bus_log_producer BEFORE INSERT OR UPDATE OF producer ON bus_log
    FOR EACH ROW EXECUTE FUNCTION baton_stamp_producer();
