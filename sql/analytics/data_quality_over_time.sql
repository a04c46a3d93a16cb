-- Rejected share over time: per source and calendar day the runs started, the rows read and rejected and
-- the files rejected whole. A day with only files rejected whole reads no rows: its share is NULL.
SELECT
  COALESCE(source_name, '(no profile)') AS source,
  CAST(COALESCE(started_at, loaded_at) AS DATE) AS run_date,
  COUNT(*) AS runs,
  SUM(CASE WHEN status = 'rejected_file' THEN 1 ELSE 0 END) AS files_rejected,
  CAST(COALESCE(SUM(rows_read), 0) AS BIGINT) AS rows_read,
  CAST(COALESCE(SUM(rows_rejected), 0) AS BIGINT) AS rows_rejected,
  CAST(ROUND(100.0 * SUM(rows_rejected) / NULLIF(SUM(rows_read), 0), 2) AS DECIMAL(6,2)) AS rejected_share_pct
FROM load_audit
GROUP BY 1, 2
ORDER BY 1, 2;
