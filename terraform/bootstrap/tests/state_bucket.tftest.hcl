# The state bucket: private, versioned, encrypted, TLS only, one per stage and account.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  stage  = "dev"
  region = "eu-west-1"
}

run "the_state_bucket_is_private_versioned_and_encrypted" {
  command = plan

  assert {
    condition     = aws_s3_bucket.state.bucket == "sdp-dev-tfstate-123456789012"
    error_message = "The bucket must be named <project>-<stage>-tfstate-<account>: one per stage and account."
  }

  assert {
    condition     = one(aws_s3_bucket_versioning.state.versioning_configuration).status == "Enabled"
    error_message = "State versions must be kept, to roll back a broken apply."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
    error_message = "The state must be encrypted with KMS."
  }

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.state.block_public_acls, aws_s3_bucket_public_access_block.state.block_public_policy,
      aws_s3_bucket_public_access_block.state.ignore_public_acls, aws_s3_bucket_public_access_block.state.restrict_public_buckets,
    ])
    error_message = "Every public access block setting of the state bucket must be on."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.state.statement :
      statement.effect == "Deny" && anytrue([for c in statement.condition : c.variable == "aws:SecureTransport" && c.values == tolist(["false"])])
    ])
    error_message = "The state bucket must refuse requests without TLS."
  }
}

run "stage_local_has_no_state_bucket" {
  command = plan

  variables {
    stage = "local"
  }

  expect_failures = [var.stage]
}
