-- Sales per calendar month of order_date, with revenue growth on the month before.
-- Growth is null for the first month and after a month without sales (no base to compare with).
-- The month number (year * 12 + month) finds the calendar month before without date arithmetic,
-- which differs between Redshift and Postgres.
WITH monthly AS (
  SELECT
    TO_CHAR(order_date, 'YYYY-MM') AS month,
    CAST(EXTRACT(YEAR FROM order_date) * 12 + EXTRACT(MONTH FROM order_date) AS INTEGER) AS month_number,
    COUNT(DISTINCT order_id) AS orders,
    SUM(quantity) AS units,
    CAST(SUM(total_amount) AS DECIMAL(18,2)) AS revenue
  FROM sales
  GROUP BY 1, 2
),
with_previous AS (
  SELECT
    month, month_number, orders, units, revenue,
    LAG(month_number) OVER (ORDER BY month_number) AS previous_month_number,
    LAG(revenue) OVER (ORDER BY month_number) AS previous_revenue
  FROM monthly
)
SELECT
  month,
  orders,
  units,
  revenue,
  CASE WHEN previous_month_number = month_number - 1 AND previous_revenue <> 0
    THEN CAST(ROUND(100 * (revenue - previous_revenue) / previous_revenue, 2) AS DECIMAL(12,2))
  END AS revenue_growth_pct
FROM with_previous
ORDER BY month_number;
