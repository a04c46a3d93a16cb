# The clean_sales job as the entry script parses its arguments.
mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  lambda_artifacts_dir = "tests/fixtures/lambda"
  glue_artifacts_dir   = "tests/fixtures/glue"
}

run "job_gets_the_arguments_the_script_parses" {
  command = plan

  assert {
    condition = aws_glue_job.clean_sales.default_arguments == tomap({
      "--job-language"                 = "python"
      "--extra-py-files"               = "s3://sdp-${var.stage}-data-123456789012/scripts/glue/sales_cleaning.zip"
      "--output_uri"                   = "s3://sdp-${var.stage}-data-123456789012/"
      "--TempDir"                      = "s3://sdp-${var.stage}-data-123456789012/tmp/glue/"
      "--enable-metrics"               = "true"
      "--enable-observability-metrics" = "true"
      "--custom-logGroup-prefix"       = "/aws-glue/jobs/sdp-${var.stage}-clean-sales"
      "--job-bookmark-option"          = "job-bookmark-disable"
    })
    error_message = "The job's default arguments must be --output_uri plus Glue 5.0's own flags, nothing the trigger sets per run."
  }

  # Glue 5.0 ignores the Glue 4.0 continuous-logging arguments and logs to <--custom-logGroup-prefix>/output
  # and /error, which it would otherwise create without retention or encryption.
  assert {
    condition = (
      toset([for group in aws_cloudwatch_log_group.glue_job : group.name]) == toset([
        "${aws_glue_job.clean_sales.default_arguments["--custom-logGroup-prefix"]}/output",
        "${aws_glue_job.clean_sales.default_arguments["--custom-logGroup-prefix"]}/error",
      ]) &&
      alltrue([for group in aws_cloudwatch_log_group.glue_job : group.retention_in_days == var.log_retention_days && group.kms_key_id == aws_kms_key.data.arn])
    )
    error_message = "Terraform must create the job's output and error log groups under --custom-logGroup-prefix, with the stage's retention and the stack key."
  }

  assert {
    condition     = length(setintersection(keys(aws_glue_job.clean_sales.default_arguments), ["--enable-continuous-cloudwatch-log", "--continuous-log-logGroup"])) == 0
    error_message = "--enable-continuous-cloudwatch-log and --continuous-log-logGroup are Glue 4.0 arguments; Glue 5.0 takes --custom-logGroup-prefix."
  }

  assert {
    condition = alltrue([
      for group in aws_cloudwatch_log_group.glue_job : anytrue([
        for statement in data.aws_iam_policy_document.glue_job.statement :
        contains(statement.resources, "${group.arn}:*") && contains(statement.actions, "logs:CreateLogStream") && contains(statement.actions, "logs:PutLogEvents")
      ])
    ])
    error_message = "The job's role must write log streams and events in its output and error log groups."
  }

  assert {
    condition = (
      aws_glue_job.clean_sales.glue_version == "5.0" &&
      one(aws_glue_job.clean_sales.command).name == "glueetl" &&
      one(aws_glue_job.clean_sales.command).python_version == "3" &&
      one(aws_glue_job.clean_sales.command).script_location == "s3://sdp-${var.stage}-data-123456789012/scripts/glue/clean_sales.py"
    )
    error_message = "The job must be a Glue 5.0 Python 3 Spark job running scripts/glue/clean_sales.py."
  }

  assert {
    condition = (
      aws_glue_job.clean_sales.worker_type == var.glue_worker_type &&
      aws_glue_job.clean_sales.number_of_workers == var.glue_number_of_workers &&
      one(aws_glue_job.clean_sales.execution_property).max_concurrent_runs == var.glue_max_concurrent_runs
    )
    error_message = "Workers and concurrent runs must come from the stage's variables."
  }

  assert {
    condition     = aws_glue_job.clean_sales.job_run_queuing_enabled == true
    error_message = "Runs past max_concurrent_runs must wait in the job's queue, not fail: uploads come in bursts."
  }

  assert {
    condition     = aws_s3_object.glue_script.key == "scripts/glue/clean_sales.py" && aws_s3_object.glue_package.key == "scripts/glue/sales_cleaning.zip"
    error_message = "The script and the transform package must be uploaded under scripts/glue/."
  }

  assert {
    condition = alltrue([
      for encryption in [
        one(one(aws_glue_security_configuration.this.encryption_configuration).s3_encryption).s3_encryption_mode,
        one(one(aws_glue_security_configuration.this.encryption_configuration).cloudwatch_encryption).cloudwatch_encryption_mode,
        one(one(aws_glue_security_configuration.this.encryption_configuration).job_bookmarks_encryption).job_bookmarks_encryption_mode,
      ] : encryption != "DISABLED"
    ])
    error_message = "The Glue security configuration must encrypt S3 output, logs and bookmarks."
  }

  assert {
    condition     = { for area, crawler in aws_glue_crawler.this : area => one(crawler.s3_target).path } == { raw = "s3://sdp-${var.stage}-data-123456789012/raw/", cleaned = "s3://sdp-${var.stage}-data-123456789012/cleaned/sales/" }
    error_message = "The crawlers must catalog raw/ and cleaned/sales/."
  }
}
