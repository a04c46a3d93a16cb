-- The warehouse tables (DESIGN 4.4). Portable SQL except the table attributes marked "Redshift only",
-- which the emulator's Redshift Data API drops on Postgres.
-- VARCHAR widths: Redshift counts bytes, the data contract counts characters, so free-text columns
-- allow 4 bytes per character (the widest UTF-8 character) and a cut value always fits.
-- Primary keys: Postgres enforces them; Redshift only uses them for planning (the loader guards itself).

CREATE TABLE IF NOT EXISTS sales (
  order_id           VARCHAR(128)   NOT NULL,
  line_id            VARCHAR(128),
  line_key           VARCHAR(128)   NOT NULL,
  order_date         DATE           NOT NULL,
  customer_id        VARCHAR(128)   NOT NULL,
  customer_name      VARCHAR(800),
  customer_email     VARCHAR(1280),
  product_id         VARCHAR(128)   NOT NULL,
  product_name       VARCHAR(800),
  category           VARCHAR(256),
  quantity           INTEGER        NOT NULL,
  unit_price         DECIMAL(12,4)  NOT NULL,
  discount           DECIMAL(5,4)   NOT NULL,
  total_amount       DECIMAL(14,2)  NOT NULL,
  country            CHAR(2),
  city               VARCHAR(400),
  payment_method     VARCHAR(32),
  sales_channel      VARCHAR(32),
  source_uri         VARCHAR(2048)  NOT NULL,
  source_version     VARCHAR(1024),
  source_modified_at TIMESTAMP      NOT NULL,
  source_line        BIGINT         NOT NULL,
  run_id             VARCHAR(64)    NOT NULL,
  loaded_at          TIMESTAMP      NOT NULL DEFAULT GETDATE(),
  PRIMARY KEY (order_id, line_key)
)
-- Redshift only: orders of one customer on one slice, date-range scans skip blocks.
DISTSTYLE KEY DISTKEY (customer_id) SORTKEY (order_date);

CREATE TABLE IF NOT EXISTS sales_rejected (
  run_id       VARCHAR(64)    NOT NULL,
  source_uri   VARCHAR(2048)  NOT NULL,
  source_line  BIGINT         NOT NULL,
  raw_record   VARCHAR(65535),
  reasons      VARCHAR(1024)  NOT NULL,
  rejected_at  TIMESTAMP      NOT NULL DEFAULT GETDATE()
)
-- Redshift only
SORTKEY (run_id, source_line);

CREATE TABLE IF NOT EXISTS load_audit (
  run_id              VARCHAR(64)    NOT NULL,
  job_run_id          VARCHAR(256),
  source_uri          VARCHAR(2048),
  source_version      VARCHAR(1024),
  status              VARCHAR(32)    NOT NULL,
  rows_read           BIGINT,
  rows_clean          BIGINT,
  rows_rejected       BIGINT,
  duplicates_dropped  BIGINT,
  blank_lines         BIGINT,
  started_at          TIMESTAMP,
  ended_at            TIMESTAMP,
  loaded_at           TIMESTAMP      NOT NULL DEFAULT GETDATE(),
  error               VARCHAR(4096),
  PRIMARY KEY (run_id)
)
-- Redshift only: a small table every node reads whole.
DISTSTYLE ALL;
