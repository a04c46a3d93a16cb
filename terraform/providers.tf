# The only provider configuration. Stage `local` merges endpoints and dummy credentials into it
# from a generated, git-ignored local_override.tf (see stage/terraform.ts).
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

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  name_prefix = "${var.project}-${var.stage}"
  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition

  # Values shared across files: one definition of each ARN prefix.
  log_group_arn_prefix = "arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group"
}
