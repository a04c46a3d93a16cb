variable "project" {
  type        = string
  description = "Short project name, the first part of every resource name."
  default     = "sdp"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.project))
    error_message = "project must be 2-16 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "stage" {
  type        = string
  description = "Deployment stage: local (the emulator), dev or prod. Resources are the same on every stage; only sizes differ."

  validation {
    condition     = contains(["local", "dev", "prod"], var.stage)
    error_message = "stage must be one of local, dev, prod."
  }
}

variable "region" {
  type        = string
  description = "AWS region of the stack."
  default     = "us-east-1"
}

variable "lambda_artifacts_dir" {
  type        = string
  description = "Folder holding trigger.zip and loader.zip from the Lambda build step, relative to terraform/."
  default     = "../dist/lambda"
}

variable "glue_artifacts_dir" {
  type        = string
  description = "Folder holding clean_sales.py and sales_cleaning.zip from the Glue build step, relative to terraform/."
  default     = "../dist/glue"
}

variable "force_destroy_data" {
  type        = bool
  description = "Let `terraform destroy` delete the data bucket with its objects. Keep false where the data matters."
  default     = false
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Days an overwritten or deleted object version is kept in the data bucket."
  default     = 30
}

variable "tmp_expiration_days" {
  type        = number
  description = "Days objects under tmp/ (Spark and Glue scratch space) are kept."
  default     = 7
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the CloudWatch log groups of the Lambdas, the Glue job and the VPC flow logs."
  default     = 14
}

variable "log_level" {
  type        = string
  description = "POWERTOOLS_LOG_LEVEL of both Lambdas."
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be one of DEBUG, INFO, WARN, ERROR."
  }
}

variable "ingest_max_receive_count" {
  type        = number
  description = "Receives of an ingest message before SQS moves it to the dead-letter queue."
  default     = 5
}

variable "ingest_batch_size" {
  type        = number
  description = "Maximum SQS messages per trigger invocation."
  default     = 10
}

variable "ingest_batching_window_seconds" {
  type        = number
  description = "How long the event source mapping gathers messages before invoking the trigger."
  default     = 5
}

variable "ingest_max_concurrency" {
  type        = number
  description = "Maximum concurrent trigger invocations from the ingest queue (2-1000); bounds parallel Glue starts."
  default     = 2

  validation {
    condition     = var.ingest_max_concurrency >= 2 && var.ingest_max_concurrency <= 1000
    error_message = "ingest_max_concurrency must be between 2 and 1000 (the SQS event source mapping limits)."
  }
}

variable "trigger_timeout_seconds" {
  type        = number
  description = "Timeout of the trigger Lambda. The ingest queue's visibility timeout is six times this plus the batching window, as AWS advises."
  default     = 30
}

variable "loader_timeout_seconds" {
  type        = number
  description = "Timeout of the loader Lambda. It waits for its Redshift transaction until 15 s before this, then cancels it, so no load outlives the invocation that started it."
  # Lambda's maximum: a load gets every second Lambda allows, and the loader's own wait ends first.
  default = 900

  validation {
    condition     = var.loader_timeout_seconds >= 60 && var.loader_timeout_seconds <= 900
    error_message = "loader_timeout_seconds must be between 60 (the loader cancels its transaction 15 s before the timeout) and 900 (Lambda's maximum)."
  }
}

variable "lambda_memory_mb" {
  type        = number
  description = "Memory of both Lambdas."
  default     = 256
}

variable "loader_maximum_retry_attempts" {
  type        = number
  description = "Asynchronous retries of the loader after an error (0-2) before the event goes to the failure queue."
  default     = 2
}

variable "loader_maximum_event_age_seconds" {
  type        = number
  description = "Oldest Glue state-change event the loader still processes (60-21600 s)."
  default     = 3600
}

variable "glue_worker_type" {
  type        = string
  description = "Glue worker type of the clean_sales job (G.1X = 1 DPU per worker)."
  default     = "G.1X"
}

variable "glue_number_of_workers" {
  type        = number
  description = "Glue workers of the clean_sales job (at least 2)."
  default     = 2
}

variable "glue_max_concurrent_runs" {
  type        = number
  description = "Concurrent runs of the clean_sales job; one per file in flight."
  default     = 3
}

variable "glue_timeout_minutes" {
  type        = number
  description = "Time after which a clean_sales run stops with state TIMEOUT."
  default     = 60
}

variable "alarm_email" {
  type        = string
  description = "E-mail address subscribed to the stack's alarm topic (AWS mails a confirmation link first); null subscribes nobody."
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address such as ops@example.com, or null."
  }
}

variable "crawler_schedule" {
  type        = string
  description = "Cron schedule of the raw/ and cleaned/ crawlers, e.g. cron(0 3 * * ? *); null runs them on demand only."
  default     = null
}

variable "vpc_cidr" {
  type        = string
  description = "CIDR of the VPC that holds the Redshift cluster; two private /24 subnets are carved from it."
  default     = "10.40.0.0/16"
}

variable "redshift_node_type" {
  type        = string
  description = "Redshift node type."
  default     = "ra3.large"
}

variable "redshift_number_of_nodes" {
  type        = number
  description = "Redshift nodes; 1 makes a single-node cluster."
  default     = 1
}

variable "redshift_database_name" {
  type        = string
  description = "Database created in the Redshift cluster."
  default     = "sales"
}

variable "redshift_admin_username" {
  type        = string
  description = "Admin user of the cluster; its password is generated and kept by Redshift in Secrets Manager."
  default     = "sdp_admin"
}

variable "redshift_snapshot_retention_days" {
  type        = number
  description = "Days automated Redshift snapshots are kept (1-35)."
  default     = 1
}

variable "redshift_skip_final_snapshot" {
  type        = bool
  description = "Skip the final snapshot on destroy. Dev skips it; prod keeps one."
  default     = false
}

variable "kms_deletion_window_days" {
  type        = number
  description = "Waiting period before the stack's KMS key is deleted after a destroy (7-30)."
  default     = 30
}
