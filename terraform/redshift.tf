resource "aws_redshift_subnet_group" "this" {
  name       = local.name_prefix
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_redshift_parameter_group" "this" {
  name   = local.name_prefix
  family = "redshift-1.0"

  parameter {
    name  = "require_ssl"
    value = "true"
  }

  parameter {
    name  = "enable_user_activity_logging"
    value = "true"
  }
}

resource "aws_redshift_cluster" "this" {
  # checkov:skip=CKV_AWS_71:Audit logging is on, set by aws_redshift_logging.this below; the check only reads the cluster's deprecated logging block.
  cluster_identifier = local.name_prefix
  database_name      = var.redshift_database_name
  master_username    = var.redshift_admin_username
  # Redshift generates the admin password and keeps it in a Secrets Manager secret encrypted
  # with the stack's key: it never appears in tfvars or in the Terraform state.
  manage_master_password            = true
  master_password_secret_kms_key_id = aws_kms_key.data.arn

  node_type       = var.redshift_node_type
  cluster_type    = var.redshift_number_of_nodes > 1 ? "multi-node" : "single-node"
  number_of_nodes = var.redshift_number_of_nodes

  cluster_subnet_group_name    = aws_redshift_subnet_group.this.name
  vpc_security_group_ids       = [aws_security_group.redshift.id]
  cluster_parameter_group_name = aws_redshift_parameter_group.this.name
  publicly_accessible          = false
  enhanced_vpc_routing         = true
  encrypted                    = true
  kms_key_id                   = aws_kms_key.data.arn

  iam_roles            = [aws_iam_role.redshift_copy.arn]
  default_iam_role_arn = aws_iam_role.redshift_copy.arn

  allow_version_upgrade               = true
  automated_snapshot_retention_period = var.redshift_snapshot_retention_days
  skip_final_snapshot                 = var.redshift_skip_final_snapshot
  final_snapshot_identifier           = var.redshift_skip_final_snapshot ? null : "${local.name_prefix}-final"

  # The S3 endpoint must exist before enhanced VPC routing sends COPY traffic through the VPC.
  depends_on = [aws_vpc_endpoint.s3]
}

resource "aws_redshift_logging" "this" {
  cluster_identifier   = aws_redshift_cluster.this.cluster_identifier
  log_destination_type = "cloudwatch"
  log_exports          = local.redshift_log_exports

  depends_on = [aws_cloudwatch_log_group.redshift_audit]
}

# Audit logs land in these groups; creating them here sets retention and encryption, which the
# groups Redshift would create itself lack.
resource "aws_cloudwatch_log_group" "redshift_audit" {
  # checkov:skip=CKV_AWS_338:Retention is a per-stage variable: dev keeps 14 days for cost, prod sets a year in stages/prod.tfvars.
  for_each          = toset(local.redshift_log_exports)
  name              = "/aws/redshift/cluster/${local.name_prefix}/${each.value}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.data.arn
}

locals {
  redshift_log_exports = ["connectionlog", "userlog", "useractivitylog"]
}

# ---------------------------------------------------------------- the loader's database user

# The loader's Data API credentials instead of the admin's: the database user sales_loader, which
# sql/ddl/003_loader_user.sql creates with only the grants the loader needs. Terraform owns the secret;
# `npm run db:migrate` fills it (a password from Secrets Manager's generator, on first use) and sets the
# user's password from it, so the password is in neither the plan nor the state.
resource "aws_secretsmanager_secret" "loader_db" {
  # checkov:skip=CKV2_AWS_57:Rotation is a new value put in the secret followed by `npm run db:migrate`, which sets the user's password from it; a rotation Lambda would need VPC access to the private cluster.
  name                    = "${local.name_prefix}-redshift-loader"
  description             = "Redshift database user sales_loader of ${local.name_prefix}: the loader Lambda's Data API credentials, set by npm run db:migrate."
  kms_key_id              = aws_kms_key.data.arn
  recovery_window_in_days = var.force_destroy_data ? 0 : 30
}
