-- Distribution of the average purchase value per customer (see customer_purchase_value.sql) over
-- fixed bands that widen with the value (the distribution is skewed); every band is listed, empty or not.
-- A band holds values >= lower_bound and < upper_bound (no upper bound for the last).
WITH customers AS (
  SELECT
    customer_id,
    CAST(ROUND(SUM(total_amount) / COUNT(DISTINCT order_id), 2) AS DECIMAL(18,2)) AS purchase_value
  FROM sales
  GROUP BY customer_id
),
bands AS (
  SELECT 1 AS band, 0 AS lower_bound, 50 AS upper_bound
  UNION ALL
  SELECT 2, 50, 100
  UNION ALL
  SELECT 3, 100, 250
  UNION ALL
  SELECT 4, 250, 500
  UNION ALL
  SELECT 5, 500, 1000
  UNION ALL
  SELECT 6, 1000, 2500
  UNION ALL
  SELECT 7, 2500, 5000
  UNION ALL
  SELECT 8, 5000, 10000
  UNION ALL
  SELECT 9, 10000, 25000
  UNION ALL
  SELECT 10, 25000, 50000
  UNION ALL
  SELECT 11, 50000, CAST(NULL AS INTEGER)
)
SELECT
  bands.band,
  bands.lower_bound,
  bands.upper_bound,
  COUNT(customers.customer_id) AS customers,
  CAST(ROUND(100.0 * COUNT(customers.customer_id) / NULLIF(SUM(COUNT(customers.customer_id)) OVER (), 0), 2) AS DECIMAL(5,2)) AS customer_share_pct
FROM bands
LEFT JOIN customers
  ON customers.purchase_value >= bands.lower_bound
  AND (bands.upper_bound IS NULL OR customers.purchase_value < bands.upper_bound)
GROUP BY bands.band, bands.lower_bound, bands.upper_bound
ORDER BY bands.band;
