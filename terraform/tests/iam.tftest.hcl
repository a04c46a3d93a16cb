# Least privilege, checked on every role's policy as written.
mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  lambda_artifacts_dir = "tests/fixtures/lambda"
  glue_artifacts_dir   = "tests/fixtures/glue"
}

run "roles_grant_no_wildcard_actions_and_star_resources_only_where_aws_requires" {
  command = plan

  assert {
    condition = alltrue(flatten([
      for document in [
        data.aws_iam_policy_document.trigger, data.aws_iam_policy_document.loader,
        data.aws_iam_policy_document.glue_job, data.aws_iam_policy_document.glue_crawler,
        data.aws_iam_policy_document.redshift_copy, data.aws_iam_policy_document.flow_logs,
        ] : [
        for statement in document.statement : [for action in statement.actions : !strcontains(action, "*")]
      ]
    ]))
    error_message = "No role may grant a wildcard action."
  }

  # Resource policies too: the key policy, the queue policy, the S3 endpoint and bucket policies.
  # Only a Deny may name every action (the bucket's TLS-only rule).
  assert {
    condition = alltrue(flatten([
      for document in [
        data.aws_iam_policy_document.trigger, data.aws_iam_policy_document.loader,
        data.aws_iam_policy_document.glue_job, data.aws_iam_policy_document.glue_crawler,
        data.aws_iam_policy_document.redshift_copy, data.aws_iam_policy_document.flow_logs,
        data.aws_iam_policy_document.kms_key, data.aws_iam_policy_document.ingest_queue,
        data.aws_iam_policy_document.s3_endpoint, data.aws_iam_policy_document.data_bucket,
        data.aws_iam_policy_document.alarms_topic,
        ] : [
        for statement in document.statement : [
          for action in statement.actions : !strcontains(action, "*") if coalesce(statement.effect, "Allow") == "Allow"
        ]
      ]
    ]))
    error_message = "No policy may allow a wildcard action."
  }

  # The only "*" resources: X-Ray trace writes, Data API statement reads (owner-conditioned)
  # and CloudWatch metric writes (namespace-conditioned), none of which has resource-level permissions.
  assert {
    condition = toset(flatten([
      for document in [
        data.aws_iam_policy_document.trigger, data.aws_iam_policy_document.loader,
        data.aws_iam_policy_document.glue_job, data.aws_iam_policy_document.glue_crawler,
        data.aws_iam_policy_document.redshift_copy, data.aws_iam_policy_document.flow_logs,
        ] : [
        for statement in document.statement : statement.actions if contains(statement.resources, "*")
      ]
      ])) == toset([
      "xray:PutTraceSegments", "xray:PutTelemetryRecords",
      "redshift-data:DescribeStatement", "redshift-data:GetStatementResult", "redshift-data:CancelStatement",
      "cloudwatch:PutMetricData",
    ])
    error_message = "A role grants an action on \"*\" that AWS lets us scope to a resource."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.loader.statement :
      contains(statement.actions, "redshift-data:GetStatementResult") && try(one(statement.condition).variable, null) == "redshift-data:statement-owner-iam-userid"
    ])
    error_message = "The loader's Data API reads on \"*\" must be limited to its own statements by a condition."
  }

  assert {
    condition = alltrue([
      for statement in data.aws_iam_policy_document.trigger.statement :
      !anytrue([for action in statement.actions : startswith(action, "redshift") || (startswith(action, "s3:") && action != "s3:ListBucket")])
    ])
    error_message = "The trigger must not reach Redshift or read S3: it starts Glue runs and only lists whether a file's source profile exists."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.trigger.statement :
      statement.actions == toset(["glue:StartJobRun"]) && statement.resources == toset(["arn:aws:glue:${var.region}:123456789012:job/sdp-${var.stage}-clean-sales"])
    ])
    error_message = "The trigger may start runs of this stage's clean-sales job only."
  }
}

# A trust condition on a key the service never sends when it assumes the role denies every AssumeRole.
run "trust_policies_condition_only_on_keys_the_service_documents" {
  command = plan

  assert {
    condition = alltrue([
      for service in ["lambda", "glue", "redshift"] : alltrue([for statement in data.aws_iam_policy_document.assume[service].statement : length(statement.condition) == 0])
    ])
    error_message = "Lambda, Glue and Redshift do not document aws:SourceAccount or aws:SourceArn on AssumeRole: their trust policies must not require them."
  }

  assert {
    condition = toset(flatten([
      for statement in data.aws_iam_policy_document.assume["flow_logs"].statement : [for condition in statement.condition : "${condition.variable}=${join(",", condition.values)}"]
      ])) == toset([
      "aws:SourceAccount=123456789012",
      "aws:SourceArn=arn:aws:ec2:${var.region}:123456789012:vpc-flow-log/*",
    ])
    error_message = "VPC Flow Logs documents aws:SourceAccount and aws:SourceArn: its trust policy must require this account and its flow logs."
  }
}

run "an_unknown_stage_is_rejected" {
  command = plan

  variables {
    stage = "staging"
  }

  expect_failures = [var.stage]
}
