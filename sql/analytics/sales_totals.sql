-- Headline figures of the whole warehouse; lines = 0 tells the report the warehouse is empty.
-- Revenue everywhere in sql/analytics/ is the net line amount total_amount (docs/data-contract.md);
-- an order's value sums its lines (DESIGN 4.4).
SELECT
  COUNT(*) AS lines,
  COUNT(DISTINCT order_id) AS orders,
  COUNT(DISTINCT customer_id) AS customers,
  COUNT(DISTINCT product_id) AS products,
  COALESCE(SUM(quantity), 0) AS units,
  CAST(COALESCE(SUM(total_amount), 0) AS DECIMAL(18,2)) AS revenue,
  CAST(ROUND(SUM(total_amount) / NULLIF(COUNT(DISTINCT order_id), 0), 2) AS DECIMAL(18,2)) AS average_order_value,
  MIN(order_date) AS first_order_date,
  MAX(order_date) AS last_order_date
FROM sales;
