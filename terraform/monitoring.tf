# Alarms on the two places where work stops and waits for a person: messages that exhausted
# their receives, and loader events whose retries were spent.
locals {
  stuck_work_queues = {
    ingest-dlq      = aws_sqs_queue.ingest_dlq.name
    loader-failures = aws_sqs_queue.loader_failures.name
  }
}

resource "aws_cloudwatch_metric_alarm" "stuck_work" {
  for_each = local.stuck_work_queues

  alarm_name          = "${local.name_prefix}-${each.key}-not-empty"
  alarm_description   = "Messages wait in ${each.value}: inspect them, fix the cause, then redrive."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
}
