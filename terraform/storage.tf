locals {
  data_bucket_name = "${local.name_prefix}-data-${local.account_id}"
  # No marker for tmp/: the expiry rule would delete it a week later and every plan after that would
  # create it again.
  data_folders    = ["raw/", "cleaned/", "rejected/", "manifests/", "reports/", "scripts/", "config/"]
  data_bucket_uri = "s3://${aws_s3_bucket.data.bucket}/"

  # The objects that start a run; the trigger reads the same values from its environment.
  raw_prefix   = "raw/"
  raw_suffixes = [".csv", ".csv.gz"]

  # Source profiles (docs/data-contract.md): sources/<name>.json becomes config/sources/<name>.json, and
  # a file under raw/<name>/ is cleaned with it.
  source_profiles_dir    = "${path.module}/../sources"
  source_profiles_prefix = "config/sources/"
  source_profiles_uri    = "s3://${aws_s3_bucket.data.bucket}/${local.source_profiles_prefix}"
}

resource "aws_s3_bucket" "data" {
  # checkov:skip=CKV_AWS_18:Access logs need a second, itself unlogged bucket per stage; where an access trail is required, enable CloudTrail S3 data events account-wide.
  # checkov:skip=CKV_AWS_144:Cross-region replication is a disaster-recovery choice outside this pipeline; raw files are re-uploadable.
  bucket        = local.data_bucket_name
  force_destroy = var.force_destroy_data
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    id     = "expire-tmp"
    status = "Enabled"
    filter {
      prefix = "tmp/"
    }
    expiration {
      days = var.tmp_expiration_days
    }
  }

  rule {
    id     = "expire-noncurrent-versions-and-abort-uploads"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # Lifecycle rules need versioning to be configured first to address noncurrent versions.
  depends_on = [aws_s3_bucket_versioning.data]
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.data_bucket.json

  # A bucket policy is rejected while public access settings are still being applied.
  depends_on = [aws_s3_bucket_public_access_block.data]
}

data "aws_iam_policy_document" "data_bucket" {
  statement {
    sid    = "DenyRequestsWithoutTls"
    effect = "Deny"
    # A deny grants nothing: it must cover every S3 action, or some action would still work over plain HTTP.
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

# S3 has no folders; empty marker objects make the layout visible in consoles and listings.
resource "aws_s3_object" "folder" {
  for_each   = toset(local.data_folders)
  bucket     = aws_s3_bucket.data.id
  key        = each.value
  content    = ""
  kms_key_id = aws_kms_key.data.arn
}

resource "aws_s3_bucket_notification" "data" {
  bucket = aws_s3_bucket.data.id

  # One rule per suffix: a rule has one suffix, and ".csv" and ".csv.gz" do not overlap.
  dynamic "queue" {
    for_each = local.raw_suffixes
    content {
      id            = "raw${replace(queue.value, ".", "-")}-to-ingest-queue"
      queue_arn     = aws_sqs_queue.ingest.arn
      events        = ["s3:ObjectCreated:*"]
      filter_prefix = local.raw_prefix
      filter_suffix = queue.value
    }
  }

  # S3 test-sends a message when the notification is saved: the queue must already allow it, which it
  # does from its creation (its policy is set with it, see ingest.tf).
}

# Adding sources/<name>.json and applying is all a new source needs: one object per profile.
resource "aws_s3_object" "source_profile" {
  for_each     = fileset(local.source_profiles_dir, "*.json")
  bucket       = aws_s3_bucket.data.id
  key          = "${local.source_profiles_prefix}${each.value}"
  source       = "${local.source_profiles_dir}/${each.value}"
  source_hash  = filemd5("${local.source_profiles_dir}/${each.value}")
  content_type = "application/json"
  kms_key_id   = aws_kms_key.data.arn
}
