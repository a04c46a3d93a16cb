-- Revenue per category, largest first; rows without a category are grouped under '(none)'.
WITH grouped AS (
  SELECT
    COALESCE(category, '(none)') AS category,
    COUNT(DISTINCT order_id) AS orders,
    SUM(quantity) AS units,
    CAST(SUM(total_amount) AS DECIMAL(18,2)) AS revenue
  FROM sales
  GROUP BY 1
)
SELECT
  category,
  orders,
  units,
  revenue,
  CAST(ROUND(100 * revenue / NULLIF(SUM(revenue) OVER (), 0), 2) AS DECIMAL(5,2)) AS revenue_share_pct
FROM grouped
ORDER BY revenue DESC, category;
