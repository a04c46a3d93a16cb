-- Average purchase value per customer: each customer's revenue divided by their orders (an order's value
-- sums its lines), rounded to the cent; then the mean and the quartiles, 90th percentile and maximum
-- over customers. Sums and divisions instead of AVG, whose result scale differs between Redshift and Postgres.
-- PERCENTILE_CONT interpolates; it is cast to a decimal first because Postgres computes it in double precision.
WITH customers AS (
  SELECT
    customer_id,
    CAST(ROUND(SUM(total_amount) / COUNT(DISTINCT order_id), 2) AS DECIMAL(18,2)) AS purchase_value
  FROM sales
  GROUP BY customer_id
)
SELECT
  COUNT(*) AS customers,
  CAST(ROUND(SUM(purchase_value) / NULLIF(COUNT(*), 0), 2) AS DECIMAL(18,2)) AS mean_purchase_value,
  CAST(ROUND(CAST(PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY purchase_value) AS DECIMAL(18,4)), 2) AS DECIMAL(18,2)) AS p25_purchase_value,
  CAST(ROUND(CAST(PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY purchase_value) AS DECIMAL(18,4)), 2) AS DECIMAL(18,2)) AS median_purchase_value,
  CAST(ROUND(CAST(PERCENTILE_CONT(0.75) WITHIN GROUP (ORDER BY purchase_value) AS DECIMAL(18,4)), 2) AS DECIMAL(18,2)) AS p75_purchase_value,
  CAST(ROUND(CAST(PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY purchase_value) AS DECIMAL(18,4)), 2) AS DECIMAL(18,2)) AS p90_purchase_value,
  MAX(purchase_value) AS max_purchase_value
FROM customers;
