# One role per workload, each granted only the actions its code calls on this stack's resources.
# Where a statement's resource is "*", AWS offers no resource-level permission for that action.

locals {
  data_bucket_arn = aws_s3_bucket.data.arn
  glue_job_arn    = "arn:${local.partition}:glue:${var.region}:${local.account_id}:job/${local.glue_job_name}"
  glue_catalog    = "arn:${local.partition}:glue:${var.region}:${local.account_id}"
  redshift_arn    = "arn:${local.partition}:redshift:${var.region}:${local.account_id}:cluster:${aws_redshift_cluster.this.cluster_identifier}"

  service_principals = {
    lambda    = "lambda.amazonaws.com"
    glue      = "glue.amazonaws.com"
    redshift  = "redshift.amazonaws.com"
    flow_logs = "vpc-flow-logs.amazonaws.com"
  }
}

data "aws_iam_policy_document" "assume" {
  for_each = local.service_principals

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [each.value]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# ---------------------------------------------------------------- trigger Lambda

resource "aws_iam_role" "trigger" {
  name               = "${local.name_prefix}-trigger"
  assume_role_policy = data.aws_iam_policy_document.assume["lambda"].json
}

resource "aws_iam_role_policy" "trigger" {
  name   = "trigger"
  role   = aws_iam_role.trigger.id
  policy = data.aws_iam_policy_document.trigger.json
}

data "aws_iam_policy_document" "trigger" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.trigger.arn}:*"]
  }
  statement {
    sid = "ConsumeIngestQueue"
    # What the SQS event source mapping does with the function's role: poll, read the queue's
    # attributes, delete what the function processed. It never changes a message's visibility.
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.ingest.arn]
  }
  statement {
    sid       = "StartCleanSalesRuns"
    actions   = ["glue:StartJobRun"]
    resources = [local.glue_job_arn]
  }
  statement {
    sid = "IdempotencyRecords"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
    ]
    resources = [aws_dynamodb_table.idempotency.arn]
  }
  statement {
    sid = "UseStackKey"
    # Decrypt only: received queue messages, the idempotency table's key (DynamoDB decrypts it with
    # the caller's permissions) and the function's environment; the trigger encrypts nothing itself.
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.data.arn]
  }
  statement {
    sid = "SendTraces"
    # X-Ray has no resource-level permissions for writing traces: AWS requires "*".
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

# ---------------------------------------------------------------- loader Lambda

resource "aws_iam_role" "loader" {
  name               = "${local.name_prefix}-loader"
  assume_role_policy = data.aws_iam_policy_document.assume["lambda"].json
}

resource "aws_iam_role_policy" "loader" {
  name   = "loader"
  role   = aws_iam_role.loader.id
  policy = data.aws_iam_policy_document.loader.json
}

data "aws_iam_policy_document" "loader" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.loader.arn}:*"]
  }
  statement {
    sid       = "ReadRunManifests"
    actions   = ["s3:GetObject"]
    resources = ["${local.data_bucket_arn}/manifests/*"]
  }
  statement {
    sid       = "ReadRunArguments"
    actions   = ["glue:GetJobRun"]
    resources = [local.glue_job_arn]
  }
  statement {
    sid       = "RunStatementsOnTheCluster"
    actions   = ["redshift-data:ExecuteStatement", "redshift-data:BatchExecuteStatement"]
    resources = [local.redshift_arn]
  }
  statement {
    sid = "FollowOwnStatements"
    # Statement ids have no ARN, so AWS requires "*"; the condition limits these calls to
    # statements this role itself started, as AWS's managed Data API policy does.
    actions   = ["redshift-data:DescribeStatement", "redshift-data:GetStatementResult"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "redshift-data:statement-owner-iam-userid"
      values   = ["$${aws:userid}"]
    }
  }
  statement {
    sid       = "ReadAdminSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_redshift_cluster.this.master_password_secret_arn]
  }
  statement {
    sid = "UseStackKey"
    # The secret, the manifests, the failure queue and the function's environment use the stack key.
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.data.arn]
  }
  statement {
    sid       = "SendToFailureDestination"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.loader_failures.arn]
  }
  statement {
    sid = "SendTraces"
    # X-Ray has no resource-level permissions for writing traces: AWS requires "*".
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

# ---------------------------------------------------------------- Glue job

resource "aws_iam_role" "glue_job" {
  name               = "${local.name_prefix}-glue-job"
  assume_role_policy = data.aws_iam_policy_document.assume["glue"].json
}

resource "aws_iam_role_policy" "glue_job" {
  name   = "glue-job"
  role   = aws_iam_role.glue_job.id
  policy = data.aws_iam_policy_document.glue_job.json
}

data "aws_iam_policy_document" "glue_job" {
  statement {
    sid       = "ReadInputsAndCode"
    actions   = ["s3:GetObject"]
    resources = ["${local.data_bucket_arn}/raw/*", "${local.data_bucket_arn}/scripts/glue/*"]
  }
  statement {
    sid = "ReadTriggeringVersion"
    # The job reads the exact version of the upload that started it (GetObject with its VersionId),
    # and copies it under tmp/<run_id>/ (WriteRunOutputs) for Spark to read.
    actions   = ["s3:GetObjectVersion"]
    resources = ["${local.data_bucket_arn}/raw/*"]
  }
  statement {
    sid = "WriteRunOutputs"
    # s3:GetObject too: the S3 connector looks at a path (a HEAD request) before it writes or lists
    # there, and a HEAD the role may not make fails the run with 403.
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.data_bucket_arn}/cleaned/*", "${local.data_bucket_arn}/rejected/*", "${local.data_bucket_arn}/manifests/*", "${local.data_bucket_arn}/tmp/*"]
  }
  statement {
    sid       = "ListOwnAreas"
    actions   = ["s3:ListBucket"]
    resources = [local.data_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["raw/*", "cleaned/*", "rejected/*", "manifests/*", "tmp/*"]
    }
  }
  statement {
    sid       = "UseStackKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.data.arn]
  }
  statement {
    sid = "WriteJobLogs"
    # The continuous-logging group is created in glue.tf; Glue names the encrypted output and
    # error groups after the role and the security configuration, and associates the key itself.
    actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"]
    resources = [
      "${aws_cloudwatch_log_group.glue_job.arn}:*",
      "${local.log_group_arn_prefix}:/aws-glue/jobs-${aws_iam_role.glue_job.name}-${local.glue_security_config}*",
    ]
  }
  statement {
    sid = "PublishJobMetrics"
    # CloudWatch metrics have no resource-level permissions: AWS requires "*"; the condition keeps it to Glue's namespace.
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["Glue"]
    }
  }
}

# ---------------------------------------------------------------- Glue crawlers

resource "aws_iam_role" "glue_crawler" {
  name               = "${local.name_prefix}-glue-crawler"
  assume_role_policy = data.aws_iam_policy_document.assume["glue"].json
}

resource "aws_iam_role_policy" "glue_crawler" {
  name   = "glue-crawler"
  role   = aws_iam_role.glue_crawler.id
  policy = data.aws_iam_policy_document.glue_crawler.json
}

data "aws_iam_policy_document" "glue_crawler" {
  statement {
    sid       = "ReadCrawledData"
    actions   = ["s3:GetObject"]
    resources = ["${local.data_bucket_arn}/raw/*", "${local.data_bucket_arn}/cleaned/*"]
  }
  statement {
    sid       = "ListCrawledData"
    actions   = ["s3:ListBucket"]
    resources = [local.data_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["raw/*", "cleaned/*"]
    }
  }
  statement {
    sid = "MaintainCatalogTables"
    actions = [
      "glue:GetDatabase",
      "glue:GetTable",
      "glue:GetTables",
      "glue:CreateTable",
      "glue:UpdateTable",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:BatchGetPartition",
      "glue:CreatePartition",
      "glue:BatchCreatePartition",
      "glue:UpdatePartition",
      "glue:BatchUpdatePartition",
    ]
    resources = [
      "${local.glue_catalog}:catalog",
      "${local.glue_catalog}:database/${aws_glue_catalog_database.sales.name}",
      "${local.glue_catalog}:table/${aws_glue_catalog_database.sales.name}/*",
    ]
  }
  statement {
    sid       = "UseStackKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.data.arn]
  }
  statement {
    sid = "WriteCrawlerLogs"
    # Glue names an encrypted crawler's log group after the security configuration and associates the key itself.
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"]
    resources = ["${local.log_group_arn_prefix}:/aws-glue/crawlers-role/${aws_iam_role.glue_crawler.name}-${local.glue_security_config}*"]
  }
}

# ---------------------------------------------------------------- Redshift COPY / UNLOAD

resource "aws_iam_role" "redshift_copy" {
  name               = "${local.name_prefix}-redshift-copy"
  assume_role_policy = data.aws_iam_policy_document.assume["redshift"].json
}

resource "aws_iam_role_policy" "redshift_copy" {
  name   = "redshift-copy"
  role   = aws_iam_role.redshift_copy.id
  policy = data.aws_iam_policy_document.redshift_copy.json
}

data "aws_iam_policy_document" "redshift_copy" {
  statement {
    sid       = "CopyRunOutputs"
    actions   = ["s3:GetObject"]
    resources = ["${local.data_bucket_arn}/cleaned/*", "${local.data_bucket_arn}/rejected/*", "${local.data_bucket_arn}/manifests/*"]
  }
  statement {
    sid       = "UnloadReports"
    actions   = ["s3:PutObject"]
    resources = ["${local.data_bucket_arn}/reports/*"]
  }
  statement {
    sid       = "LocateAndListRunOutputs"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [local.data_bucket_arn]
  }
  statement {
    sid       = "UseStackKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.data.arn]
  }
}

# ---------------------------------------------------------------- VPC flow logs

resource "aws_iam_role" "flow_logs" {
  name               = "${local.name_prefix}-flow-logs"
  assume_role_policy = data.aws_iam_policy_document.assume["flow_logs"].json
}

resource "aws_iam_role_policy" "flow_logs" {
  name   = "flow-logs"
  role   = aws_iam_role.flow_logs.id
  policy = data.aws_iam_policy_document.flow_logs.json
}

data "aws_iam_policy_document" "flow_logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.flow_logs.arn}:*"]
  }
}
