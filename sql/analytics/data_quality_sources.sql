-- Data quality per source: every run of load_audit counted under its source profile's name, or
-- '(no profile)' for files read with the contract's own headers. Rows read = clean + rejected +
-- duplicates dropped (docs/data-contract.md); a file rejected whole or a failed run adds no rows.
-- Sums are cast to BIGINT: Postgres sums BIGINT into NUMERIC, Redshift into BIGINT.
SELECT
  COALESCE(source_name, '(no profile)') AS source,
  COUNT(*) AS runs,
  SUM(CASE WHEN status = 'loaded' THEN 1 ELSE 0 END) AS runs_loaded,
  SUM(CASE WHEN status = 'rejected_file' THEN 1 ELSE 0 END) AS files_rejected,
  SUM(CASE WHEN status NOT IN ('loaded', 'rejected_file') THEN 1 ELSE 0 END) AS runs_failed,
  CAST(COALESCE(SUM(rows_read), 0) AS BIGINT) AS rows_read,
  CAST(COALESCE(SUM(rows_clean), 0) AS BIGINT) AS rows_clean,
  CAST(COALESCE(SUM(rows_rejected), 0) AS BIGINT) AS rows_rejected,
  CAST(COALESCE(SUM(duplicates_dropped), 0) AS BIGINT) AS duplicates_dropped,
  CAST(ROUND(100.0 * SUM(rows_rejected) / NULLIF(SUM(rows_read), 0), 2) AS DECIMAL(6,2)) AS rejected_share_pct,
  MAX(COALESCE(started_at, loaded_at)) AS last_run_at
FROM load_audit
GROUP BY 1
ORDER BY 1;
