# The S3 bucket that keeps one cloud stage's Terraform state (dev or prod), created once per stage by
# `npm run tf:bootstrap -- --stage <stage> --apply`, which then writes ../backends/<stage>.s3.tfbackend.
# Locking needs no DynamoDB table: with use_lockfile (Terraform 1.10+) the S3 backend writes <key>.tflock
# beside the state with a conditional PUT, which fails while another run holds the lock.
#
# This module's own state stays on the machine (local backend, one workspace per stage): it describes only
# the bucket, and `terraform import` brings the bucket back into a lost one.
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = var.project
      Stage     = var.stage
      ManagedBy = "terraform"
    }
  }
}

variable "project" {
  type        = string
  description = "Short project name, as in the stack's variables."
  default     = "sdp"
}

variable "stage" {
  type        = string
  description = "The cloud stage whose state the bucket keeps: dev or prod (stage local keeps its state on the machine)."

  validation {
    condition     = contains(["dev", "prod"], var.stage)
    error_message = "stage must be dev or prod: stage local keeps its state on the machine."
  }
}

variable "region" {
  type        = string
  description = "AWS region of the bucket, the stage's region."
}

variable "noncurrent_state_days" {
  type        = number
  description = "Days an overwritten state version is kept, to roll back a broken apply."
  default     = 90
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "state" {
  # checkov:skip=CKV_AWS_18:Access logs need a second, itself unlogged bucket; CloudTrail data events are the account-wide trail for state reads.
  # checkov:skip=CKV_AWS_144:The state is versioned and rebuilt by import if a region fails; cross-region replication is a disaster-recovery choice outside this project.
  # checkov:skip=CKV2_AWS_62:Nothing reacts to state writes; event notifications would have no consumer.
  bucket = "${var.project}-${var.stage}-tfstate-${data.aws_caller_identity.current.account_id}"

  # Losing the state orphans every resource of the stage.
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  # checkov:skip=CKV_AWS_145:The AWS managed key aws/s3 encrypts the state: a customer managed key would cost a key per stage and outlive the stack's own key, which the state must not depend on.
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "expire-old-state-versions-and-abort-uploads"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_state_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.state]
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state.json

  depends_on = [aws_s3_bucket_public_access_block.state]
}

data "aws_iam_policy_document" "state" {
  statement {
    sid    = "DenyRequestsWithoutTls"
    effect = "Deny"
    # A deny grants nothing: it must cover every S3 action, or some action would still work over plain HTTP.
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
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

output "bucket" {
  description = "Name of the state bucket."
  value       = aws_s3_bucket.state.bucket
}

output "region" {
  description = "Region of the state bucket."
  value       = var.region
}
