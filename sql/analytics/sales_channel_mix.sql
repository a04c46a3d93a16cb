-- Sales channel mix: revenue per channel, largest first; rows without a sales channel are grouped under '(none)'.
WITH grouped AS (
  SELECT
    COALESCE(sales_channel, '(none)') AS sales_channel,
    COUNT(DISTINCT order_id) AS orders,
    SUM(quantity) AS units,
    CAST(SUM(total_amount) AS DECIMAL(18,2)) AS revenue
  FROM sales
  GROUP BY 1
)
SELECT
  sales_channel,
  orders,
  units,
  revenue,
  CAST(ROUND(100 * revenue / NULLIF(SUM(revenue) OVER (), 0), 2) AS DECIMAL(5,2)) AS revenue_share_pct
FROM grouped
ORDER BY revenue DESC, sales_channel;
