-- Why rows and files were left out, per source and reason, files rejected whole first, then reasons by
-- count; each with its latest example: a rejected row's raw record as the file held it, or the rejected
-- file. A row with several reasons counts once under each. share_of_rows_read_pct: of the rows read from
-- the source. Reasons are split with SPLIT_PART over positions 1-16 (a row has at most 13 reasons) at
-- CHR(59), the contract's reasons separator ";".
WITH positions AS (
  SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6
  UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10 UNION ALL SELECT 11 UNION ALL SELECT 12
  UNION ALL SELECT 13 UNION ALL SELECT 14 UNION ALL SELECT 15 UNION ALL SELECT 16
),
row_reasons AS (
  SELECT
    COALESCE(a.source_name, '(no profile)') AS source,
    SPLIT_PART(r.reasons, CHR(59), p.n) AS reason,
    r.run_id,
    r.source_uri,
    r.source_line,
    r.raw_record,
    r.rejected_at
  FROM sales_rejected AS r
  CROSS JOIN positions AS p
  LEFT JOIN load_audit AS a ON r.run_id = a.run_id
  WHERE SPLIT_PART(r.reasons, CHR(59), p.n) <> ''
),
row_examples AS (
  SELECT
    source, reason, run_id, source_uri, source_line, raw_record,
    COUNT(*) OVER (PARTITION BY source, reason) AS rejected,
    ROW_NUMBER() OVER (PARTITION BY source, reason ORDER BY rejected_at DESC, run_id DESC, source_line ASC) AS example
  FROM row_reasons
),
file_examples AS (
  SELECT
    COALESCE(source_name, '(no profile)') AS source,
    error AS reason,
    run_id,
    source_uri,
    COUNT(*) OVER (PARTITION BY COALESCE(source_name, '(no profile)'), error) AS rejected,
    ROW_NUMBER() OVER (PARTITION BY COALESCE(source_name, '(no profile)'), error ORDER BY COALESCE(started_at, loaded_at) DESC, run_id DESC) AS example
  FROM load_audit
  WHERE status = 'rejected_file'
),
source_rows AS (
  SELECT COALESCE(source_name, '(no profile)') AS source, SUM(rows_read) AS rows_read
  FROM load_audit
  GROUP BY 1
),
examples AS (
  SELECT source, 'row' AS scope, reason, rejected, run_id, source_uri, source_line, raw_record
  FROM row_examples
  WHERE example = 1
  UNION ALL
  SELECT source, 'file' AS scope, reason, rejected, run_id, source_uri, NULL AS source_line, NULL AS raw_record
  FROM file_examples
  WHERE example = 1
)
SELECT
  e.source,
  e.scope,
  e.reason,
  e.rejected,
  CASE WHEN e.scope = 'row' THEN CAST(ROUND(100.0 * e.rejected / NULLIF(s.rows_read, 0), 2) AS DECIMAL(6,2)) END AS share_of_rows_read_pct,
  e.run_id AS example_run_id,
  e.source_uri AS example_source_uri,
  e.source_line AS example_source_line,
  e.raw_record AS example_raw_record
FROM examples AS e
LEFT JOIN source_rows AS s ON e.source = s.source
ORDER BY e.source, e.scope, e.rejected DESC, e.reason;
