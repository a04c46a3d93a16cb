locals {
  trigger_function_name = "${local.name_prefix}-trigger"
  ingest_queue_name     = "${local.name_prefix}-ingest"
  # The queue's ARN from its name (SQS ARNs are arn:<partition>:sqs:<region>:<account>:<name>), so that its
  # policy can name it and be set when the queue is created, see aws_sqs_queue.ingest.
  ingest_queue_arn = "arn:${local.partition}:sqs:${var.region}:${local.account_id}:${local.ingest_queue_name}"
}

# No redrive allow policy on the dead-letter queue: moto neither stores nor returns it, so the
# provider would wait for it forever on stage local, and only principals of this account can
# point a queue at it anyway.
resource "aws_sqs_queue" "ingest_dlq" {
  name                      = "${local.name_prefix}-ingest-dlq"
  message_retention_seconds = 1209600 # the SQS maximum, 14 days, to leave time to inspect and redrive
  kms_master_key_id         = aws_kms_key.data.arn
}

# The queue, its policy and its redrive policy are set in an order that keeps the provider's propagation
# waits off each other's path: after creating a queue or changing its attributes the AWS provider reads
# them back until they matched six times in a row, 5 s apart (about 25 s whatever the service answers).
# The policy goes in with the queue (a separate aws_sqs_queue_policy would add one more such wait before
# the bucket notification), and the redrive policy is its own resource, so the queue and its dead-letter
# queue are created side by side instead of one after the other.
resource "aws_sqs_queue" "ingest" {
  name = local.ingest_queue_name
  # AWS's guidance for an SQS event source: six times the function's timeout plus the batching window,
  # so a batch that waited in the window and then retried stays invisible until it is done.
  visibility_timeout_seconds = 6 * var.trigger_timeout_seconds + var.ingest_batching_window_seconds
  message_retention_seconds  = 345600 # 4 days
  kms_master_key_id          = aws_kms_key.data.arn
  policy                     = data.aws_iam_policy_document.ingest_queue.json
}

resource "aws_sqs_queue_redrive_policy" "ingest" {
  queue_url = aws_sqs_queue.ingest.id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.ingest_dlq.arn
    maxReceiveCount     = var.ingest_max_receive_count
  })
}

# The policy used to be a separate aws_sqs_queue_policy. Forget that resource without deleting it: deleting
# it would clear the policy that the queue now sets itself.
removed {
  from = aws_sqs_queue_policy.ingest
  lifecycle {
    destroy = false
  }
}

data "aws_iam_policy_document" "ingest_queue" {
  statement {
    sid       = "DataBucketSendsObjectCreatedEvents"
    actions   = ["sqs:SendMessage"]
    resources = [local.ingest_queue_arn]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.data.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# Powertools idempotency records: one per S3 object version, so a redelivered event starts no second run.
resource "aws_dynamodb_table" "idempotency" {
  name                        = "${local.name_prefix}-idempotency"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = !var.force_destroy_data

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expiration"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.data.arn
  }
}

resource "aws_cloudwatch_log_group" "trigger" {
  # checkov:skip=CKV_AWS_338:Retention is a per-stage variable: dev keeps 14 days for cost, prod sets a year in stages/prod.tfvars.
  name              = "/aws/lambda/${local.trigger_function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.data.arn
}

resource "aws_lambda_function" "trigger" {
  # checkov:skip=CKV_AWS_115:Concurrency is capped by the event source mapping's maximum_concurrency; reserved concurrency fails on accounts with the default quota of 10.
  # checkov:skip=CKV_AWS_116:Invoked synchronously by the SQS event source mapping; failed messages go to the ingest queue's dead-letter queue, a function DLQ would never be used.
  # checkov:skip=CKV_AWS_117:Calls only public AWS APIs (Glue, DynamoDB, SQS); a VPC would add NAT cost and no protection.
  # checkov:skip=CKV_AWS_272:The zip comes from the project's build step, which does not sign with AWS Signer.
  function_name    = local.trigger_function_name
  role             = aws_iam_role.trigger.arn
  runtime          = "nodejs22.x"
  handler          = "index.handler"
  architectures    = ["arm64"]
  filename         = "${var.lambda_artifacts_dir}/trigger.zip"
  source_code_hash = filebase64sha256("${var.lambda_artifacts_dir}/trigger.zip")
  memory_size      = var.lambda_memory_mb
  timeout          = var.trigger_timeout_seconds
  kms_key_arn      = aws_kms_key.data.arn

  environment {
    variables = {
      GLUE_JOB_NAME           = aws_glue_job.clean_sales.name
      IDEMPOTENCY_TABLE_NAME  = aws_dynamodb_table.idempotency.name
      RAW_PREFIX              = local.raw_prefix
      RAW_SUFFIXES            = join(",", local.raw_suffixes)
      SOURCE_PROFILES_URI     = local.source_profiles_uri
      OUTPUT_URI              = local.data_bucket_uri
      POWERTOOLS_SERVICE_NAME = "trigger"
      POWERTOOLS_LOG_LEVEL    = var.log_level
    }
  }

  tracing_config {
    mode = "Active"
  }

  depends_on = [aws_cloudwatch_log_group.trigger, aws_iam_role_policy.trigger]
}

resource "aws_lambda_event_source_mapping" "ingest" {
  # The trigger receives from the queue only once a message that keeps failing has a dead-letter queue to go to.
  depends_on = [aws_sqs_queue_redrive_policy.ingest]

  event_source_arn                   = aws_sqs_queue.ingest.arn
  function_name                      = aws_lambda_function.trigger.arn
  batch_size                         = var.ingest_batch_size
  maximum_batching_window_in_seconds = var.ingest_batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.ingest_max_concurrency
  }
}
