locals {
  glue_job_name        = "${local.name_prefix}-clean-sales"
  glue_security_config = "${local.name_prefix}-glue"
  glue_script_key      = "scripts/glue/clean_sales.py"
  glue_package_key     = "scripts/glue/sales_cleaning.zip"
  # Glue 5.0 writes a run's logs to <--custom-logGroup-prefix>/output (stdout, stderr) and /error (system,
  # Spark and GlueLogger logs): https://docs.aws.amazon.com/glue/latest/dg/monitor-continuous-logging.html
  glue_log_group_prefix = "/aws-glue/jobs/${local.glue_job_name}"
  glue_job_log_groups   = toset(["output", "error"])
  glue_catalog_database = replace("${local.name_prefix}_sales", "-", "_")
  glue_script_uri       = "s3://${aws_s3_bucket.data.bucket}/${local.glue_script_key}"
  glue_package_uri      = "s3://${aws_s3_bucket.data.bucket}/${local.glue_package_key}"
  glue_temp_dir         = "s3://${aws_s3_bucket.data.bucket}/tmp/glue/"
  glue_crawler_targets = {
    raw     = "s3://${aws_s3_bucket.data.bucket}/${local.raw_prefix}"
    cleaned = "s3://${aws_s3_bucket.data.bucket}/cleaned/sales/"
  }
}

resource "aws_s3_object" "glue_script" {
  bucket      = aws_s3_bucket.data.id
  key         = local.glue_script_key
  source      = "${var.glue_artifacts_dir}/clean_sales.py"
  source_hash = filemd5("${var.glue_artifacts_dir}/clean_sales.py")
  kms_key_id  = aws_kms_key.data.arn
}

resource "aws_s3_object" "glue_package" {
  bucket      = aws_s3_bucket.data.id
  key         = local.glue_package_key
  source      = "${var.glue_artifacts_dir}/sales_cleaning.zip"
  source_hash = filemd5("${var.glue_artifacts_dir}/sales_cleaning.zip")
  kms_key_id  = aws_kms_key.data.arn
}

resource "aws_glue_security_configuration" "this" {
  name = local.glue_security_config

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = aws_kms_key.data.arn
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = aws_kms_key.data.arn
    }
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = aws_kms_key.data.arn
    }
  }
}

# Created here rather than by Glue, which would create them without retention or encryption.
resource "aws_cloudwatch_log_group" "glue_job" {
  # checkov:skip=CKV_AWS_338:Retention is a per-stage variable: dev keeps 14 days for cost, prod sets a year in stages/prod.tfvars.
  for_each          = local.glue_job_log_groups
  name              = "${local.glue_log_group_prefix}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.data.arn
}

resource "aws_glue_job" "clean_sales" {
  name              = local.glue_job_name
  role_arn          = aws_iam_role.glue_job.arn
  glue_version      = "5.0"
  worker_type       = var.glue_worker_type
  number_of_workers = var.glue_number_of_workers
  timeout           = var.glue_timeout_minutes
  max_retries       = 0 # a failed run is reported to the loader and redriven deliberately, never replayed blindly
  # A burst of uploads past max_concurrent_runs waits in the job's queue (run state WAITING) instead of
  # failing StartJobRun; the trigger still retries a ConcurrentRunsExceededException (account quotas).
  job_run_queuing_enabled = true
  security_configuration  = aws_glue_security_configuration.this.name

  command {
    name            = "glueetl"
    script_location = local.glue_script_uri
    python_version  = "3"
  }

  execution_property {
    max_concurrent_runs = var.glue_max_concurrent_runs
  }

  # The per-run arguments --input_uri, --run_id, --source_version and, for a file under raw/<name>/
  # whose profile exists, --source_profile_uri come from the trigger. Glue 5.0 always logs in real time:
  # --enable-continuous-cloudwatch-log and --continuous-log-logGroup are arguments of Glue 4.0 and earlier,
  # and --custom-logGroup-prefix picks the groups.
  default_arguments = {
    "--job-language"                 = "python"
    "--extra-py-files"               = local.glue_package_uri
    "--output_uri"                   = local.data_bucket_uri
    "--TempDir"                      = local.glue_temp_dir
    "--enable-metrics"               = "true"
    "--enable-observability-metrics" = "true"
    "--custom-logGroup-prefix"       = local.glue_log_group_prefix
    "--job-bookmark-option"          = "job-bookmark-disable"
  }

  # A first run must find its log groups with their retention and key, not create bare ones.
  depends_on = [aws_cloudwatch_log_group.glue_job]
}

resource "aws_glue_catalog_database" "sales" {
  name        = local.glue_catalog_database
  description = "Tables of the sales pipeline's raw/ and cleaned/ data, kept by the crawlers."
}

# One crawler per data area: raw/ as uploaded, cleaned/ as the job writes it.
resource "aws_glue_crawler" "this" {
  for_each = local.glue_crawler_targets

  name                   = "${local.name_prefix}-${each.key}"
  database_name          = aws_glue_catalog_database.sales.name
  role                   = aws_iam_role.glue_crawler.arn
  table_prefix           = "${each.key}_"
  schedule               = var.crawler_schedule
  security_configuration = aws_glue_security_configuration.this.name

  s3_target {
    path = each.value
  }

  schema_change_policy {
    delete_behavior = "LOG"
    update_behavior = "UPDATE_IN_DATABASE"
  }

  # Partitioned folders (run_id=…/order_month=…) become one table, not one per folder.
  configuration = jsonencode({
    Version  = 1
    Grouping = { TableGroupingPolicy = "CombineCompatibleSchemas" }
  })
}
