locals {
  loader_function_name = "${local.name_prefix}-loader"
}

# Where the loader's events go after its asynchronous retries are spent; replay them from here.
resource "aws_sqs_queue" "loader_failures" {
  name                      = "${local.name_prefix}-loader-failures"
  message_retention_seconds = 1209600 # the SQS maximum, 14 days
  kms_master_key_id         = aws_kms_key.data.arn
}

resource "aws_cloudwatch_log_group" "loader" {
  # checkov:skip=CKV_AWS_338:Retention is a per-stage variable: dev keeps 14 days for cost, prod sets a year in stages/prod.tfvars.
  name              = "/aws/lambda/${local.loader_function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.data.arn
}

resource "aws_lambda_function" "loader" {
  # checkov:skip=CKV_AWS_115:Invocations are bounded by the Glue job's max concurrent runs (one event per run); reserved concurrency fails on accounts with the default quota of 10.
  # checkov:skip=CKV_AWS_116:Asynchronous failures go to the on-failure destination (aws_lambda_function_event_invoke_config.loader), the successor of a function DLQ.
  # checkov:skip=CKV_AWS_117:Uses the Redshift Data API, a public AWS endpoint, so the function needs no VPC.
  # checkov:skip=CKV_AWS_272:The zip comes from the project's build step, which does not sign with AWS Signer.
  function_name    = local.loader_function_name
  role             = aws_iam_role.loader.arn
  runtime          = "nodejs22.x"
  handler          = "index.handler"
  architectures    = ["arm64"]
  filename         = "${var.lambda_artifacts_dir}/loader.zip"
  source_code_hash = filebase64sha256("${var.lambda_artifacts_dir}/loader.zip")
  memory_size      = var.lambda_memory_mb
  timeout          = var.loader_timeout_seconds
  kms_key_arn      = aws_kms_key.data.arn

  environment {
    variables = {
      DATA_BUCKET             = aws_s3_bucket.data.bucket
      REDSHIFT_CLUSTER_ID     = aws_redshift_cluster.this.cluster_identifier
      REDSHIFT_DATABASE       = aws_redshift_cluster.this.database_name
      REDSHIFT_SECRET_ARN     = aws_secretsmanager_secret.loader_db.arn
      REDSHIFT_COPY_ROLE_ARN  = aws_iam_role.redshift_copy.arn
      GLUE_JOB_NAME           = aws_glue_job.clean_sales.name
      POWERTOOLS_SERVICE_NAME = "loader"
      POWERTOOLS_LOG_LEVEL    = var.log_level
    }
  }

  tracing_config {
    mode = "Active"
  }

  depends_on = [aws_cloudwatch_log_group.loader, aws_iam_role_policy.loader]
}

resource "aws_lambda_function_event_invoke_config" "loader" {
  function_name                = aws_lambda_function.loader.function_name
  maximum_retry_attempts       = var.loader_maximum_retry_attempts
  maximum_event_age_in_seconds = var.loader_maximum_event_age_seconds

  destination_config {
    on_failure {
      destination = aws_sqs_queue.loader_failures.arn
    }
  }
}

resource "aws_cloudwatch_event_rule" "glue_job_finished" {
  name        = "${local.name_prefix}-clean-sales-finished"
  description = "A clean_sales run reached a final state; the loader records every one in load_audit."

  # Every final state, so every run that started ends with its audit row: a stopped run too. The loader's
  # FINAL_STATES (lambda/loader/glue-state-change.ts) is the same list.
  event_pattern = jsonencode({
    source      = ["aws.glue"]
    detail-type = ["Glue Job State Change"]
    detail = {
      jobName = [aws_glue_job.clean_sales.name]
      state   = ["SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR"]
    }
  })
}

resource "aws_cloudwatch_event_target" "loader" {
  rule = aws_cloudwatch_event_rule.glue_job_finished.name
  arn  = aws_lambda_function.loader.arn
}

resource "aws_lambda_permission" "events_invoke_loader" {
  statement_id  = "AllowGlueStateChangeRule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.loader.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.glue_job_finished.arn
}
