-- A proposal is stored when it is drafted ('draft', with its rendered document in body) and
-- marked 'sent' when the rep's approved email carrying it went out. One row per job that
-- drafted it (idempotency_key 'proposal:<job id>').
ALTER TABLE proposals
    ADD CONSTRAINT proposals_status_check CHECK (status IN ('draft', 'sent'));
