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
      "--job-language"                     = "python"
      "--extra-py-files"                   = "s3://sdp-${var.stage}-data-123456789012/scripts/glue/sales_cleaning.zip"
      "--output_uri"                       = "s3://sdp-${var.stage}-data-123456789012/"
      "--TempDir"                          = "s3://sdp-${var.stage}-data-123456789012/tmp/glue/"
      "--enable-metrics"                   = "true"
      "--enable-observability-metrics"     = "true"
      "--enable-continuous-cloudwatch-log" = "true"
      "--continuous-log-logGroup"          = "/aws-glue/jobs/sdp-${var.stage}-clean-sales"
      "--job-bookmark-option"              = "job-bookmark-disable"
    })
    error_message = "The job's default arguments must be --output_uri plus Glue's own flags, nothing the trigger sets per run."
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
