# Alarms on the two places where work stops and waits for a person: messages that exhausted
# their receives, and loader events whose retries were spent. They notify an SNS topic; subscribe
# an address with alarm_email, or anything else to the topic.
locals {
  stuck_work_queues = {
    ingest-dlq      = aws_sqs_queue.ingest_dlq.name
    loader-failures = aws_sqs_queue.loader_failures.name
  }
  alarm_arn_prefix = "arn:${local.partition}:cloudwatch:${var.region}:${local.account_id}:alarm:${local.name_prefix}-"
}

resource "aws_sns_topic" "alarms" {
  name = "${local.name_prefix}-alarms"
  # A customer managed key: CloudWatch cannot publish to a topic under the AWS managed alias/aws/sns,
  # whose key policy it may not use (kms.tf lets it use the stack key).
  kms_master_key_id = aws_kms_key.data.arn
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

data "aws_iam_policy_document" "alarms_topic" {
  statement {
    sid       = "StackAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["${local.alarm_arn_prefix}*"]
    }
  }
}

# AWS mails a confirmation link first; the subscription stays pending until it is followed.
resource "aws_sns_topic_subscription" "alarm_email" {
  count     = var.alarm_email == null ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
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
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}
