-- Data quality per run, newest first: what each file gave the warehouse and what it left out. A file
-- rejected whole has no counts and its reason in problem, as a failed run has its error.
SELECT
  run_id,
  COALESCE(source_name, '(no profile)') AS source,
  source_uri,
  status,
  COALESCE(started_at, loaded_at) AS run_at,
  rows_read,
  rows_clean,
  rows_rejected,
  duplicates_dropped,
  CAST(ROUND(100.0 * rows_rejected / NULLIF(rows_read, 0), 2) AS DECIMAL(6,2)) AS rejected_share_pct,
  CASE WHEN status <> 'loaded' THEN error END AS problem
FROM load_audit
ORDER BY run_at DESC, run_id;
