# Queues: a dead-letter queue holding anything, a work queue whose oldest
# message has used up part of its validity, and queued messages that expired.
# SQS stops publishing for a queue idle (and empty) for 6 hours: missing
# data means empty, not breaching.

resource "aws_cloudwatch_metric_alarm" "dead_letter_queue" {
  for_each = var.alarms.dead_letter_queue.enabled ? var.dead_letter_queues : {}

  alarm_name          = "${var.name}-${each.key}-dlq-not-empty"
  alarm_description   = "${each.value} holds messages that failed every attempt: find the cause in the consumer's logs, fix it, then redrive. README: alarms."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = var.alarms.dead_letter_queue.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.dead_letter_queue.threshold
  evaluation_periods  = var.alarms.dead_letter_queue.evaluation_periods
  datapoints_to_alarm = var.alarms.dead_letter_queue.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "queue_age" {
  for_each = var.alarms.queue_age.enabled ? local.aged_queues : {}

  alarm_name          = "${var.name}-${each.key}-queue-age"
  alarm_description   = "${each.value.name}: oldest message older than ${var.alarms.queue_age.threshold}% of its ${each.value.max_age_seconds} s validity; past it, messages expire unsent. README: alarms."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = each.value.name }
  statistic           = "Maximum"
  period              = var.alarms.queue_age.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = ceil(each.value.max_age_seconds * var.alarms.queue_age.threshold / 100)
  evaluation_periods  = var.alarms.queue_age.evaluation_periods
  datapoints_to_alarm = var.alarms.queue_age.evaluation_periods
  treat_missing_data  = "notBreaching"
  unit                = "Seconds"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

# The dispatcher's own metric (EMF, FunctionName dimension): a message
# recorded EXPIRED was never sent.
resource "aws_cloudwatch_metric_alarm" "queued_expired" {
  count = local.dispatch_function != null && var.alarms.queued_expired.enabled ? 1 : 0

  alarm_name          = "${var.name}-queued-expired"
  alarm_description   = "Queued messages that expired unsent (QUEUED_MESSAGE_EXPIRED): the queue cannot drain at delivery.mps within delivery.validity_seconds. README: alarms."
  namespace           = var.metrics_namespace
  metric_name         = "Expired"
  dimensions          = { FunctionName = local.dispatch_function }
  statistic           = "Sum"
  period              = var.alarms.queued_expired.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.queued_expired.threshold
  evaluation_periods  = var.alarms.queued_expired.evaluation_periods
  datapoints_to_alarm = var.alarms.queued_expired.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}
