-- Every write of a job changed an indexed column (`updated_at`, the last column of the
-- status index), so none could be a HOT update: each of a PM5 run's six job writes added an
-- entry to each of the table's three indexes. No query reads jobs in `updated_at` order
-- through that index (the CLI lists them by `created_at`), so it keeps (org_id, status); with
-- room left on each page (fillfactor 80) a write that keeps the job's status is HOT and
-- touches no index.
DROP INDEX sequence_jobs_status;
CREATE INDEX sequence_jobs_status ON sequence_jobs (org_id, status);
ALTER TABLE sequence_jobs SET (fillfactor = 80);
