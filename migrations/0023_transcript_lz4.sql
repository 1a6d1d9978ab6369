-- Transcripts are the largest values Baton stores (tens of kilobytes each, one per recorded
-- meeting, written by the ingress and read by every skill of the meeting's job). Stored with
-- lz4 rather than the default pglz they compress and decompress several times faster; where
-- the server was built without lz4 the column keeps pglz.
DO $$ BEGIN
    ALTER TABLE meetings ALTER COLUMN transcript SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no lz4: meetings.transcript stays pglz';
END $$;
