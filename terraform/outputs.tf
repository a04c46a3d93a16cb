output "region" {
  description = "AWS region of the stack."
  value       = var.region
}

output "data_bucket_name" {
  description = "Name of the data bucket (raw/, cleaned/, rejected/, manifests/, reports/, scripts/, tmp/ for scratch data)."
  value       = aws_s3_bucket.data.bucket
}

output "source_profiles_uri" {
  description = "Folder of the source profiles (sources/*.json) in the data bucket: config/sources/<name>.json is used for files under raw/<name>/."
  value       = local.source_profiles_uri
}

output "ingest_queue_url" {
  description = "URL of the SQS queue that receives raw/*.csv and raw/*.csv.gz ObjectCreated events."
  value       = aws_sqs_queue.ingest.id
}

output "ingest_dlq_url" {
  description = "URL of the ingest dead-letter queue."
  value       = aws_sqs_queue.ingest_dlq.id
}

output "trigger_function_name" {
  description = "Name of the trigger Lambda (SQS to Glue StartJobRun)."
  value       = aws_lambda_function.trigger.function_name
}

output "loader_function_name" {
  description = "Name of the loader Lambda (Glue state change to Redshift)."
  value       = aws_lambda_function.loader.function_name
}

output "loader_failure_destination_arn" {
  description = "ARN of the SQS queue that receives loader events whose retries are spent."
  value       = aws_sqs_queue.loader_failures.arn
}

output "loader_failure_queue_url" {
  description = "URL of the same loader failure queue, for reading and replaying."
  value       = aws_sqs_queue.loader_failures.id
}

output "glue_job_name" {
  description = "Name of the clean_sales Glue job."
  value       = aws_glue_job.clean_sales.name
}

output "glue_database_name" {
  description = "Glue Data Catalog database the crawlers fill."
  value       = aws_glue_catalog_database.sales.name
}

output "glue_crawler_names" {
  description = "Crawler names by data area (raw, cleaned)."
  value       = { for area, crawler in aws_glue_crawler.this : area => crawler.name }
}

output "idempotency_table_name" {
  description = "DynamoDB table of the trigger's idempotency records."
  value       = aws_dynamodb_table.idempotency.name
}

output "event_rule_name" {
  description = "EventBridge rule that sends clean_sales state changes to the loader."
  value       = aws_cloudwatch_event_rule.glue_job_finished.name
}

output "redshift_cluster_id" {
  description = "Identifier of the Redshift cluster."
  value       = aws_redshift_cluster.this.cluster_identifier
}

output "redshift_database_name" {
  description = "Database in the Redshift cluster."
  value       = aws_redshift_cluster.this.database_name
}

output "redshift_secret_arn" {
  description = "ARN of the Secrets Manager secret, managed by Redshift, holding the admin credentials."
  value       = aws_redshift_cluster.this.master_password_secret_arn
}

output "redshift_loader_secret_arn" {
  description = "ARN of the Secrets Manager secret of the loader's database user (username and password); `npm run db:migrate` sets the user's password from it."
  value       = aws_secretsmanager_secret.loader_db.arn
}

output "redshift_copy_role_arn" {
  description = "IAM role the cluster assumes for COPY and UNLOAD on the data bucket."
  value       = aws_iam_role.redshift_copy.arn
}

output "alarm_topic_arn" {
  description = "SNS topic the stack's alarms notify; subscribe to it, or set alarm_email."
  value       = aws_sns_topic.alarms.arn
}
