# The warehouse: private, encrypted, TLS only, its admin password never in Terraform.
mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  lambda_artifacts_dir = "tests/fixtures/lambda"
  glue_artifacts_dir   = "tests/fixtures/glue"
}

run "cluster_is_private_and_encrypted" {
  command = plan

  assert {
    condition     = aws_redshift_cluster.this.publicly_accessible == false
    error_message = "The Redshift cluster must not be publicly accessible."
  }

  assert {
    condition     = aws_redshift_cluster.this.encrypted == true
    error_message = "The Redshift cluster must be encrypted."
  }

  assert {
    condition     = aws_redshift_cluster.this.enhanced_vpc_routing == true && aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway"
    error_message = "COPY traffic must stay in the VPC: enhanced VPC routing with an S3 gateway endpoint."
  }

  assert {
    condition     = aws_redshift_cluster.this.manage_master_password == true && aws_redshift_cluster.this.master_password == null
    error_message = "Redshift must manage the admin password in Secrets Manager; Terraform must never hold it."
  }

  assert {
    condition     = anytrue([for p in aws_redshift_parameter_group.this.parameter : p.name == "require_ssl" && p.value == "true"])
    error_message = "The parameter group must require TLS."
  }

  assert {
    condition     = aws_redshift_logging.this.log_destination_type == "cloudwatch" && toset(aws_redshift_logging.this.log_exports) == toset(["connectionlog", "userlog", "useractivitylog"])
    error_message = "Audit logging must export connection, user and user-activity logs."
  }

  assert {
    condition = (
      aws_redshift_cluster.this.node_type == var.redshift_node_type &&
      aws_redshift_cluster.this.cluster_type == (var.redshift_number_of_nodes > 1 ? "multi-node" : "single-node")
    )
    error_message = "Node type and count must come from the stage's variables."
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.redshift_to_s3.ip_protocol == "tcp" && aws_vpc_security_group_egress_rule.redshift_to_s3.from_port == 443 && aws_vpc_security_group_egress_rule.redshift_to_s3.to_port == 443
    error_message = "The cluster's only egress is HTTPS (to the S3 prefix list)."
  }
}

# The loader signs in as its own database user (sql/ddl/003_loader_user.sql), never as the admin.
run "the_loader_uses_its_own_database_user" {
  command = plan

  assert {
    condition = (
      aws_lambda_function.loader.environment[0].variables.REDSHIFT_SECRET_ARN == aws_secretsmanager_secret.loader_db.arn &&
      aws_lambda_function.loader.environment[0].variables.REDSHIFT_SECRET_ARN != aws_redshift_cluster.this.master_password_secret_arn
    )
    error_message = "The loader must pass the loader user's secret to the Data API, not the admin secret."
  }

  assert {
    condition = toset(flatten([
      for statement in data.aws_iam_policy_document.loader.statement : statement.resources if contains(statement.actions, "secretsmanager:GetSecretValue")
    ])) == toset([aws_secretsmanager_secret.loader_db.arn])
    error_message = "The loader's role may read the loader user's secret and no other."
  }

  assert {
    condition     = aws_secretsmanager_secret.loader_db.kms_key_id == aws_kms_key.data.arn
    error_message = "The loader user's secret must be encrypted with the stack key."
  }
}
