# The plan that test/terraform/iam-contract.spec.ts reads (terraform test -json -verbose): the roles'
# policy documents with this stage's ARNs, and the settings that decide what AWS itself needs
# from each role (tracing, encryption, event sources, Glue arguments).
mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  lambda_artifacts_dir = "tests/fixtures/lambda"
  glue_artifacts_dir   = "tests/fixtures/glue"
}

run "plan_read_by_the_iam_contract_test" {
  command = plan

  assert {
    condition     = length(data.aws_iam_policy_document.trigger.statement) > 0 && length(data.aws_iam_policy_document.loader.statement) > 0 && length(data.aws_iam_policy_document.glue_job.statement) > 0
    error_message = "The workload roles' policy documents must be in the plan for the IAM contract test to read them."
  }
}
