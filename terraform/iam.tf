# One role per workload, each granted only the actions its code calls on this stack's resources.
# Where a statement's resource is "*", AWS offers no resource-level permission for that action.

locals {
  data_bucket_arn = aws_s3_bucket.data.arn
  glue_job_arn    = "arn:${local.partition}:glue:${var.region}:${local.account_id}:job/${local.glue_job_name}"
  glue_catalog    = "arn:${local.partition}:glue:${var.region}:${local.account_id}"
  redshift_arn    = "arn:${local.partition}:redshift:${var.region}:${local.account_id}:cluster:${aws_redshift_cluster.this.cluster_identifier}"

  # Who may assume each role. A trust condition on a key the service does not send when it assumes the
  # role denies every AssumeRole, so aws:SourceAccount / aws:SourceArn appear only where the service's
  # own documentation says it sets them:
  # - VPC Flow Logs recommends both: https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
  # - Lambda (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html) and Glue
  #   (https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html) document the service principal
  #   alone; Redshift too, and narrows a role to database users with sts:ExternalId instead
  #   (https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-redshift-service-database-users.html).
  service_trust = {
    lambda    = { principal = "lambda.amazonaws.com", source_arn = null }
    glue      = { principal = "glue.amazonaws.com", source_arn = null }
    redshift  = { principal = "redshift.amazonaws.com", source_arn = null }
    flow_logs = { principal = "vpc-flow-logs.amazonaws.com", source_arn = "arn:${local.partition}:ec2:${var.region}:${local.account_id}:vpc-flow-log/*" }
  }
}

data "aws_iam_policy_document" "assume" {
  for_each = local.service_trust

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [each.value.principal]
    }
    dynamic "condition" {
      for_each = each.value.source_arn == null ? [] : [each.value.source_arn]
      content {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
    dynamic "condition" {
      for_each = each.value.source_arn == null ? [] : [each.value.source_arn]
      content {
        test     = "ArnLike"
        variable = "aws:SourceArn"
        values   = [condition.value]
      }
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
    sid = "FindSourceProfiles"
    # Whether config/sources/<name>.json exists, for a file under raw/<name>/: a listing answers
    # "no such profile" plainly, where a HEAD without s3:ListBucket would answer 403.
    actions   = ["s3:ListBucket"]
    resources = [local.data_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.source_profiles_prefix}*"]
    }
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
    sid = "TellMissingManifests"
    # Without s3:ListBucket, S3 answers the GET of a missing manifest with 403 AccessDenied instead of 404
    # NoSuchKey, and a run that wrote no manifest could not be told from a permission problem
    # (ManifestNotFoundError). That check is no listing and carries no s3:prefix, hence IfExists; the
    # loader lists nothing itself, and any listing stays within manifests/.
    actions   = ["s3:ListBucket"]
    resources = [local.data_bucket_arn]
    condition {
      test     = "StringLikeIfExists"
      variable = "s3:prefix"
      values   = ["manifests/*"]
    }
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
    # statements this role itself started, as AWS's managed Data API policy does. The loader cancels
    # a transaction it stops waiting for.
    actions   = ["redshift-data:DescribeStatement", "redshift-data:GetStatementResult", "redshift-data:CancelStatement"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "redshift-data:statement-owner-iam-userid"
      values   = ["$${aws:userid}"]
    }
  }
  statement {
    sid = "ReadLoaderSecret"
    # The Data API reads the secret the loader passes with the loader's permissions: its own database
    # user's, never the admin's.
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.loader_db.arn]
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
    resources = ["${local.data_bucket_arn}/raw/*", "${local.data_bucket_arn}/scripts/glue/*", "${local.data_bucket_arn}/${local.source_profiles_prefix}*"]
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
    sid = "ListOwnAreas"
    # The S3 connector checks a path before it writes there (HEAD of the key, then a listing of it as a
    # folder); a HEAD of a missing key answers 404 only to a caller with s3:ListBucket on the bucket, and
    # 403 otherwise, which fails the run. That check is no listing and carries no s3:prefix, so a plain
    # StringLike never matches it: IfExists lets it through while real listings stay within these areas.
    # https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html (Permissions)
    actions   = ["s3:ListBucket"]
    resources = [local.data_bucket_arn]
    condition {
      test     = "StringLikeIfExists"
      variable = "s3:prefix"
      # config/sources/*: a profile removed after the trigger saw it is then "not found", not "access denied".
      values = ["raw/*", "cleaned/*", "rejected/*", "manifests/*", "tmp/*", "${local.source_profiles_prefix}*"]
    }
  }
  statement {
    sid       = "UseStackKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.data.arn]
  }
  statement {
    sid = "WriteJobLogs"
    # The groups of --custom-logGroup-prefix, created in glue.tf. Glue's log writer creates a
    # missing group itself (AWSGlueServiceRole grants it); here it only finds the existing one.
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = flatten([for group in aws_cloudwatch_log_group.glue_job : [group.arn, "${group.arn}:*"]])
  }
  statement {
    sid = "WriteEncryptedJobLogs"
    # Where a security configuration that encrypts CloudWatch logs sends them: groups named after the
    # role and the configuration, which Glue creates and associates with the key itself
    # (JobRun.LogGroupName in the Glue API). AWS does not document which of these and the groups
    # above Glue 5.0 uses when both apply; terraform/README.md's first-deploy checklist says how to
    # see it after the first run, and this statement goes if nothing lands here.
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"]
    resources = ["${local.log_group_arn_prefix}:/aws-glue/jobs-${aws_iam_role.glue_job.name}-${local.glue_security_config}*"]
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
