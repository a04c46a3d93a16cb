# One customer-managed key encrypts the stack's data at rest: bucket, queues, idempotency table,
# Lambda environments, log groups, Glue output, Redshift and its admin secret.
resource "aws_kms_key" "data" {
  description             = "${local.name_prefix}: data at rest of the sales pipeline"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.kms_key.json
}

resource "aws_kms_alias" "data" {
  name          = "alias/${local.name_prefix}-data"
  target_key_id = aws_kms_key.data.key_id
}

data "aws_iam_policy_document" "kms_key" {
  # checkov:skip=CKV_AWS_109:A key policy's Resource "*" means this key only; the account statement delegates to IAM as AWS's default key policy does.
  # checkov:skip=CKV_AWS_111:A key policy's Resource "*" means this key only; the account statement delegates to IAM as AWS's default key policy does.
  # checkov:skip=CKV_AWS_356:A key policy's Resource "*" means this key only, as AWS requires for key policies.
  statement {
    sid = "AccountAdministersAndUsesKeyThroughIam"
    # In place of the default key policy's kms:*: every action a symmetric encryption key
    # supports, named, so IAM policies of this account decide who may do what (the stack's roles
    # get narrow kms actions in iam.tf). kms:PutKeyPolicy stays, so the key can never become
    # unmanageable.
    actions = [
      "kms:CancelKeyDeletion",
      "kms:CreateAlias",
      "kms:CreateGrant",
      "kms:Decrypt",
      "kms:DeleteAlias",
      "kms:DescribeKey",
      "kms:DisableKey",
      "kms:DisableKeyRotation",
      "kms:EnableKey",
      "kms:EnableKeyRotation",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListGrants",
      "kms:ListKeyRotations",
      "kms:ListResourceTags",
      "kms:PutKeyPolicy",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:RetireGrant",
      "kms:RevokeGrant",
      "kms:RotateKeyOnDemand",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateAlias",
      "kms:UpdateKeyDescription",
    ]
    resources = ["*"] # in a key policy, "*" is this key and nothing else
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "CloudWatchLogsEncryptsThisStacksLogGroups"
    # In a key policy, "*" is this key and nothing else; the condition keeps it to this account's log groups.
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:DescribeKey",
    ]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["${local.log_group_arn_prefix}:*"]
    }
  }

  statement {
    sid = "CloudWatchAlarmsPublishToTheEncryptedAlarmTopic"
    # An alarm action publishes to the KMS-encrypted topic of monitoring.tf with CloudWatch's own
    # principal, which needs a data key. In a key policy, "*" is this key and nothing else.
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }

  statement {
    sid = "S3NotificationsWriteToTheEncryptedIngestQueue"
    # S3 encrypts the event messages it sends to the KMS-encrypted ingest queue. In a key policy,
    # "*" is this key and nothing else.
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}
