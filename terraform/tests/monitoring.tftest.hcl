# The alarms reach a person: an encrypted SNS topic, and an e-mail subscription on request.
mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  lambda_artifacts_dir = "tests/fixtures/lambda"
  glue_artifacts_dir   = "tests/fixtures/glue"
}

run "alarms_notify_an_encrypted_topic" {
  command = plan

  assert {
    condition = length(aws_cloudwatch_metric_alarm.stuck_work) > 0 && alltrue([
      for alarm in aws_cloudwatch_metric_alarm.stuck_work :
      alarm.alarm_actions == toset([aws_sns_topic.alarms.arn]) && alarm.ok_actions == toset([aws_sns_topic.alarms.arn])
    ])
    error_message = "Every alarm must notify the alarm topic when it fires and when it clears."
  }

  assert {
    condition     = aws_sns_topic.alarms.kms_master_key_id == aws_kms_key.data.arn
    error_message = "The alarm topic must be encrypted with the stack's customer managed key (CloudWatch cannot use alias/aws/sns)."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.kms_key.statement :
      contains(flatten([for principal in statement.principals : principal.identifiers]), "cloudwatch.amazonaws.com") &&
      toset(statement.actions) == toset(["kms:GenerateDataKey", "kms:Decrypt"])
    ])
    error_message = "The key policy must let CloudWatch alarms generate data keys for the encrypted topic."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.alarms_topic.statement :
      statement.actions == toset(["sns:Publish"]) &&
      contains(flatten([for principal in statement.principals : principal.identifiers]), "cloudwatch.amazonaws.com") &&
      anytrue([for condition in statement.condition : condition.variable == "aws:SourceArn" && condition.values == tolist(["arn:aws:cloudwatch:${var.region}:123456789012:alarm:sdp-${var.stage}-*"])])
    ])
    error_message = "The topic policy must let this stack's alarms, and only them, publish."
  }

  assert {
    condition     = length(aws_sns_topic_subscription.alarm_email) == 0
    error_message = "Without alarm_email nobody is subscribed."
  }
}

run "an_alarm_email_is_subscribed" {
  command = plan

  variables {
    alarm_email = "ops@example.com"
  }

  assert {
    condition     = one(aws_sns_topic_subscription.alarm_email).protocol == "email" && one(aws_sns_topic_subscription.alarm_email).endpoint == "ops@example.com" && one(aws_sns_topic_subscription.alarm_email).topic_arn == aws_sns_topic.alarms.arn
    error_message = "alarm_email must be subscribed to the alarm topic by e-mail."
  }
}

run "a_malformed_alarm_email_is_rejected" {
  command = plan

  variables {
    alarm_email = "ops at example.com"
  }

  expect_failures = [var.alarm_email]
}
