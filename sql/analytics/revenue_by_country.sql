-- Revenue per country, largest first; rows without a country are grouped under '(none)'.
-- country is CHAR(2): cast first so that the '(none)' label is never cut to the column width.
WITH grouped AS (
  SELECT
    COALESCE(CAST(country AS VARCHAR(16)), '(none)') AS country,
    COUNT(DISTINCT order_id) AS orders,
    SUM(quantity) AS units,
    CAST(SUM(total_amount) AS DECIMAL(18,2)) AS revenue
  FROM sales
  GROUP BY 1
)
SELECT
  country,
  orders,
  units,
  revenue,
  CAST(ROUND(100 * revenue / NULLIF(SUM(revenue) OVER (), 0), 2) AS DECIMAL(5,2)) AS revenue_share_pct
FROM grouped
ORDER BY revenue DESC, country;
