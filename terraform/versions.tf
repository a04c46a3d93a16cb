terraform {
  # 1.7 brings mock_provider for `terraform test`; 1.10 the S3 backend's native locking (use_lockfile).
  required_version = ">= 1.10"

  # Stages dev and prod keep their state in an S3 bucket of their own, locked by a lock file next to it
  # (use_lockfile): `npm run tf:bootstrap -- --stage <stage> --apply` creates the bucket and writes
  # backends/<stage>.s3.tfbackend, which the wrapper (stage/terraform.ts) passes to `terraform init`.
  # Stage local, and deploy rehearsals against the emulator, use the local backend of the generated
  # local_override.tf instead.
  backend "s3" {}

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Exact minor: the repository commits no lock file (a mirror-made lock only hashes one
      # platform), so the constraint alone keeps every machine on the same provider.
      version = "~> 5.100.0"
    }
  }
}
