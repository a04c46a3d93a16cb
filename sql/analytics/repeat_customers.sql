-- Repeat-customer rate: customers with two or more orders, and their share of revenue.
WITH customers AS (
  SELECT
    customer_id,
    COUNT(DISTINCT order_id) AS orders,
    SUM(total_amount) AS revenue
  FROM sales
  GROUP BY customer_id
)
SELECT
  COUNT(*) AS customers,
  COALESCE(SUM(CASE WHEN orders >= 2 THEN 1 ELSE 0 END), 0) AS repeat_customers,
  CAST(ROUND(100.0 * SUM(CASE WHEN orders >= 2 THEN 1 ELSE 0 END) / NULLIF(COUNT(*), 0), 2) AS DECIMAL(5,2)) AS repeat_customer_rate_pct,
  CAST(COALESCE(SUM(CASE WHEN orders >= 2 THEN revenue END), 0) AS DECIMAL(18,2)) AS repeat_customer_revenue,
  CAST(ROUND(100 * SUM(CASE WHEN orders >= 2 THEN revenue ELSE 0 END) / NULLIF(SUM(revenue), 0), 2) AS DECIMAL(5,2)) AS repeat_revenue_share_pct
FROM customers;
