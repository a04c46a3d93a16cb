-- The 10 products with the most units (ties: more revenue, then product id), with their share of all revenue.
-- A product's name and category are the pair seen on most of its rows: rows may differ after
-- truncation, nulls or unknown category spellings.
WITH products AS (
  SELECT
    product_id,
    COUNT(DISTINCT order_id) AS orders,
    SUM(quantity) AS units,
    CAST(SUM(total_amount) AS DECIMAL(18,2)) AS revenue
  FROM sales
  GROUP BY product_id
),
labels AS (
  SELECT
    product_id, product_name, category,
    ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY COUNT(*) DESC, product_name, category) AS label_rank
  FROM sales
  GROUP BY product_id, product_name, category
),
ranked AS (
  SELECT
    products.product_id, labels.product_name, labels.category, products.orders, products.units, products.revenue,
    ROW_NUMBER() OVER (ORDER BY products.units DESC, products.revenue DESC, products.product_id) AS product_rank,
    SUM(products.revenue) OVER () AS total_revenue
  FROM products
  JOIN labels ON labels.product_id = products.product_id AND labels.label_rank = 1
)
SELECT
  product_rank,
  product_id,
  product_name,
  category,
  orders,
  units,
  revenue,
  CAST(ROUND(100 * revenue / NULLIF(total_revenue, 0), 2) AS DECIMAL(5,2)) AS revenue_share_pct
FROM ranked
WHERE product_rank <= 10
ORDER BY product_rank;
