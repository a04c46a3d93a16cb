# The data bucket and its S3 event path, as the trigger code expects them.
mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  lambda_artifacts_dir = "tests/fixtures/lambda"
  glue_artifacts_dir   = "tests/fixtures/glue"
}

run "data_bucket_is_private_encrypted_versioned_and_expires_scratch_data" {
  command = plan

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.data.block_public_acls,
      aws_s3_bucket_public_access_block.data.block_public_policy,
      aws_s3_bucket_public_access_block.data.ignore_public_acls,
      aws_s3_bucket_public_access_block.data.restrict_public_buckets,
    ])
    error_message = "Every public access block setting of the data bucket must be on."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.data.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
    error_message = "The data bucket must be encrypted by default with KMS."
  }

  assert {
    condition     = one(aws_s3_bucket_versioning.data.versioning_configuration).status == "Enabled"
    error_message = "The data bucket must be versioned."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.data_bucket.statement :
      statement.effect == "Deny" && anytrue([for c in statement.condition : c.variable == "aws:SecureTransport" && c.values == tolist(["false"])])
    ])
    error_message = "The bucket policy must deny requests without TLS."
  }

  assert {
    condition     = aws_s3_bucket.data.bucket == "sdp-${var.stage}-data-123456789012"
    error_message = "The data bucket name must be <project>-<stage>-data-<account>."
  }

  assert {
    condition     = toset(keys(aws_s3_object.folder)) == toset(["raw/", "cleaned/", "rejected/", "manifests/", "reports/", "scripts/", "config/"])
    error_message = "The data bucket must hold the folders raw/, cleaned/, rejected/, manifests/, reports/, scripts/, config/."
  }

  # A marker object that a lifecycle rule expires comes back on the next apply: a change in every plan.
  assert {
    condition = alltrue(flatten([
      for rule in aws_s3_bucket_lifecycle_configuration.data.rule : [
        for key in keys(aws_s3_object.folder) : !startswith(key, coalesce(try(one(rule.filter).prefix, null), "")) if length(rule.expiration) > 0
      ]
    ]))
    error_message = "No folder marker may lie under a prefix whose objects a lifecycle rule expires."
  }

  assert {
    condition = anytrue([
      for rule in aws_s3_bucket_lifecycle_configuration.data.rule :
      try(one(rule.filter).prefix, null) == "tmp/" && try(one(rule.expiration).days, null) == var.tmp_expiration_days
    ])
    error_message = "Objects under tmp/ must expire."
  }

  assert {
    condition = anytrue([
      for rule in aws_s3_bucket_lifecycle_configuration.data.rule :
      length(rule.noncurrent_version_expiration) == 1 && length(rule.abort_incomplete_multipart_upload) == 1
    ])
    error_message = "Noncurrent versions must expire and incomplete multipart uploads must be aborted."
  }
}

run "raw_csv_uploads_notify_the_ingest_queue" {
  command = plan

  assert {
    condition     = length(aws_s3_bucket_notification.data.queue) == 2 && alltrue([for rule in aws_s3_bucket_notification.data.queue : rule.queue_arn == aws_sqs_queue.ingest.arn])
    error_message = "The data bucket must send one notification per raw suffix, each to the ingest queue."
  }

  assert {
    condition = (
      alltrue([for rule in aws_s3_bucket_notification.data.queue : rule.filter_prefix == "raw/"]) &&
      toset([for rule in aws_s3_bucket_notification.data.queue : rule.filter_suffix]) == toset([".csv", ".csv.gz"])
    )
    error_message = "The notification filters must be prefix raw/ and suffixes .csv and .csv.gz, the objects the trigger accepts."
  }

  assert {
    condition     = alltrue([for rule in aws_s3_bucket_notification.data.queue : rule.events == toset(["s3:ObjectCreated:*"])])
    error_message = "The notifications must fire on every ObjectCreated event."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.ingest.function_response_types == toset(["ReportBatchItemFailures"])
    error_message = "The event source mapping must report partial batch failures."
  }

  assert {
    condition     = one(aws_lambda_event_source_mapping.ingest.scaling_config).maximum_concurrency == var.ingest_max_concurrency
    error_message = "The event source mapping must cap concurrency at ingest_max_concurrency."
  }

  assert {
    condition     = aws_sqs_queue.ingest.visibility_timeout_seconds == 6 * aws_lambda_function.trigger.timeout + aws_lambda_event_source_mapping.ingest.maximum_batching_window_in_seconds
    error_message = "The ingest queue's visibility timeout must be six times the trigger's timeout plus the batching window, as AWS advises for an SQS event source."
  }

  assert {
    condition     = jsondecode(aws_sqs_queue_redrive_policy.ingest.redrive_policy).maxReceiveCount == var.ingest_max_receive_count
    error_message = "The ingest queue must redrive after ingest_max_receive_count receives."
  }

  assert {
    condition     = jsondecode(aws_sqs_queue_redrive_policy.ingest.redrive_policy).deadLetterTargetArn == aws_sqs_queue.ingest_dlq.arn
    error_message = "The ingest queue must redrive to the ingest dead-letter queue."
  }

  assert {
    condition     = aws_sqs_queue_redrive_policy.ingest.queue_url == aws_sqs_queue.ingest.id
    error_message = "The redrive policy must be the ingest queue's."
  }

  assert {
    condition     = one(data.aws_iam_policy_document.ingest_queue.statement).resources == toset([local.ingest_queue_arn]) && local.ingest_queue_arn == "arn:${data.aws_partition.current.partition}:sqs:${var.region}:${data.aws_caller_identity.current.account_id}:${aws_sqs_queue.ingest.name}"
    error_message = "The queue policy must name the ingest queue by the ARN SQS gives it: arn:<partition>:sqs:<region>:<account>:<queue name>."
  }
}

run "every_source_profile_is_uploaded_to_config_sources" {
  command = plan

  assert {
    condition     = toset(keys(aws_s3_object.source_profile)) == fileset("${path.module}/../sources", "*.json")
    error_message = "Every sources/*.json must become one object, and nothing else."
  }

  assert {
    condition = alltrue([
      for file, object in aws_s3_object.source_profile :
      object.key == "config/sources/${file}" && object.content_type == "application/json" && object.kms_key_id != null
    ])
    error_message = "Each profile must be uploaded to config/sources/<name>.json as JSON, encrypted with the stack key."
  }

  assert {
    condition     = contains(keys(aws_s3_object.source_profile), "classic-cars.json")
    error_message = "The example profile of the public sample-sales export must be uploaded."
  }
}
