# Shared by every test file: what the mocked AWS provider answers where a random string would
# not do (the account in names and ARNs, JSON where the provider validates policy documents).
mock_data "aws_caller_identity" {
  defaults = {
    account_id = "123456789012"
  }
}

mock_data "aws_partition" {
  defaults = {
    partition = "aws"
  }
}

mock_data "aws_iam_policy_document" {
  defaults = {
    json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  }
}

# ARNs that role policies and queue settings are built from, known already at plan so that
# tests can assert on the finished documents.
mock_resource "aws_kms_key" {
  override_during = plan
  defaults = {
    arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
}

mock_resource "aws_s3_bucket" {
  override_during = plan
  defaults = {
    arn = "arn:aws:s3:::mock-data-bucket"
  }
}

mock_resource "aws_sqs_queue" {
  override_during = plan
  defaults = {
    arn = "arn:aws:sqs:us-east-1:123456789012:mock-queue"
  }
}

mock_resource "aws_dynamodb_table" {
  override_during = plan
  defaults = {
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/mock-table"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  override_during = plan
  defaults = {
    arn = "arn:aws:logs:us-east-1:123456789012:log-group:mock-group"
  }
}

mock_resource "aws_redshift_cluster" {
  override_during = plan
  defaults = {
    master_password_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift!mock-admin-AbCdEf"
  }
}

mock_resource "aws_sns_topic" {
  override_during = plan
  defaults = {
    arn = "arn:aws:sns:us-east-1:123456789012:mock-topic"
  }
}

mock_resource "aws_secretsmanager_secret" {
  override_during = plan
  defaults = {
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mock-loader-AbCdEf"
  }
}
