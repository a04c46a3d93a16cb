# A small, cheap stage that is torn down freely.
stage                            = "dev"
force_destroy_data               = true
log_retention_days               = 14
kms_deletion_window_days         = 7
glue_worker_type                 = "G.1X"
glue_number_of_workers           = 2
glue_max_concurrent_runs         = 3
redshift_node_type               = "ra3.large"
redshift_number_of_nodes         = 1
redshift_snapshot_retention_days = 1
redshift_skip_final_snapshot     = true
