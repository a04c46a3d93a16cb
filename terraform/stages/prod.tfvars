# Data is kept: no forced bucket deletion, a final Redshift snapshot, a year of logs.
stage                              = "prod"
force_destroy_data                 = false
log_retention_days                 = 365
kms_deletion_window_days           = 30
noncurrent_version_expiration_days = 90
glue_worker_type                   = "G.1X"
glue_number_of_workers             = 10
glue_max_concurrent_runs           = 5
ingest_max_concurrency             = 5
crawler_schedule                   = "cron(0 3 * * ? *)"
redshift_node_type                 = "ra3.xlplus"
redshift_number_of_nodes           = 2
redshift_snapshot_retention_days   = 7
redshift_skip_final_snapshot       = false
