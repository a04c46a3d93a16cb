terraform {
  # 1.7 brings mock_provider for `terraform test`; the suite runs without any AWS account.
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Exact minor: the repository commits no lock file (a mirror-made lock only hashes one
      # platform), so the constraint alone keeps every machine on the same provider.
      version = "~> 5.100.0"
    }
  }
}
