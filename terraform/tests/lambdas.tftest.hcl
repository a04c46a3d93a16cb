# The two functions and what invokes them, as the Lambda code reads and expects them.
mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  lambda_artifacts_dir = "tests/fixtures/lambda"
  glue_artifacts_dir   = "tests/fixtures/glue"
}

run "functions_get_the_environment_their_code_reads" {
  command = plan

  assert {
    condition = keys(aws_lambda_function.trigger.environment[0].variables) == sort([
      "GLUE_JOB_NAME", "IDEMPOTENCY_TABLE_NAME", "RAW_PREFIX", "RAW_SUFFIXES", "SOURCE_PROFILES_URI", "OUTPUT_URI",
      "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL",
    ])
    error_message = "The trigger's environment variable names must be exactly the ones its code reads."
  }

  assert {
    condition = keys(aws_lambda_function.loader.environment[0].variables) == sort([
      "DATA_BUCKET", "REDSHIFT_CLUSTER_ID", "REDSHIFT_DATABASE", "REDSHIFT_SECRET_ARN",
      "REDSHIFT_COPY_ROLE_ARN", "GLUE_JOB_NAME", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL",
    ])
    error_message = "The loader's environment variable names must be exactly the ones its code reads."
  }

  assert {
    condition = (
      aws_lambda_function.trigger.environment[0].variables.RAW_PREFIX == "raw/" &&
      aws_lambda_function.trigger.environment[0].variables.RAW_SUFFIXES == ".csv,.csv.gz" &&
      aws_lambda_function.trigger.environment[0].variables.SOURCE_PROFILES_URI == "s3://sdp-${var.stage}-data-123456789012/config/sources/" &&
      aws_lambda_function.trigger.environment[0].variables.OUTPUT_URI == "s3://sdp-${var.stage}-data-123456789012/" &&
      aws_lambda_function.trigger.environment[0].variables.GLUE_JOB_NAME == "sdp-${var.stage}-clean-sales"
    )
    error_message = "The trigger must read raw/*.csv and raw/*.csv.gz, find profiles under config/sources/ and start the stage's clean-sales job with the bucket as output."
  }

  assert {
    condition = (
      aws_lambda_function.loader.environment[0].variables.DATA_BUCKET == "sdp-${var.stage}-data-123456789012" &&
      aws_lambda_function.loader.environment[0].variables.REDSHIFT_DATABASE == var.redshift_database_name &&
      aws_lambda_function.loader.environment[0].variables.GLUE_JOB_NAME == "sdp-${var.stage}-clean-sales"
    )
    error_message = "The loader must point at the stage's bucket, database and job."
  }

  assert {
    condition = alltrue([
      for fn in [aws_lambda_function.trigger, aws_lambda_function.loader] :
      fn.runtime == "nodejs22.x" && fn.handler == "index.handler"
    ])
    error_message = "Both functions run index.handler on Node.js 22."
  }

  assert {
    condition     = aws_lambda_function.trigger.filename == "tests/fixtures/lambda/trigger.zip" && aws_lambda_function.loader.filename == "tests/fixtures/lambda/loader.zip"
    error_message = "The functions' code must come from lambda_artifacts_dir."
  }
}

run "glue_state_changes_reach_the_loader" {
  command = plan

  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.glue_job_finished.event_pattern) == {
      source      = ["aws.glue"]
      detail-type = ["Glue Job State Change"]
      detail = {
        jobName = ["sdp-${var.stage}-clean-sales"]
        state   = ["SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR"]
      }
    }
    error_message = "The rule must send the loader every final state of the clean-sales job (SUCCEEDED, FAILED, TIMEOUT, STOPPED, ERROR), so every run gets its audit row."
  }

  assert {
    condition     = aws_lambda_permission.events_invoke_loader.principal == "events.amazonaws.com"
    error_message = "EventBridge must be allowed to invoke the loader."
  }

  assert {
    condition = (
      aws_lambda_function_event_invoke_config.loader.maximum_retry_attempts == var.loader_maximum_retry_attempts &&
      aws_lambda_function_event_invoke_config.loader.maximum_event_age_in_seconds == var.loader_maximum_event_age_seconds &&
      length(aws_lambda_function_event_invoke_config.loader.destination_config[0].on_failure) == 1
    )
    error_message = "The loader's asynchronous invocations must retry, age out and end in an on-failure destination."
  }
}
