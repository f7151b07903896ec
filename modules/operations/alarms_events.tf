# Delivery events: Firehose failing to write to S3, or holding records too
# long. Both metrics exist only while records flow: missing is not breaching.

resource "aws_cloudwatch_metric_alarm" "firehose_delivery" {
  count = var.firehose != null && var.alarms.firehose_delivery.enabled ? 1 : 0

  alarm_name          = "${var.name}-firehose-delivery"
  alarm_description   = "${var.firehose.stream_name}: share of S3 puts that succeeded below ${var.alarms.firehose_delivery.threshold} (bucket policy, KMS key or a deleted bucket; records wait up to 24 h, then go to the error prefix). README: alarms."
  namespace           = "AWS/Firehose"
  metric_name         = "DeliveryToS3.Success"
  dimensions          = { DeliveryStreamName = var.firehose.stream_name }
  statistic           = "Average"
  period              = var.alarms.firehose_delivery.period
  comparison_operator = "LessThanThreshold"
  threshold           = var.alarms.firehose_delivery.threshold
  evaluation_periods  = var.alarms.firehose_delivery.evaluation_periods
  datapoints_to_alarm = var.alarms.firehose_delivery.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "firehose_freshness" {
  count = var.firehose != null && var.alarms.firehose_freshness.enabled ? 1 : 0

  alarm_name          = "${var.name}-firehose-freshness"
  alarm_description   = "${var.firehose.stream_name}: oldest record not yet in S3 older than ${local.firehose_freshness_threshold} s (buffering interval ${var.firehose.buffering_interval} s): delivery is failing or falling behind. README: alarms."
  namespace           = "AWS/Firehose"
  metric_name         = "DeliveryToS3.DataFreshness"
  dimensions          = { DeliveryStreamName = var.firehose.stream_name }
  statistic           = "Maximum"
  period              = var.alarms.firehose_freshness.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = local.firehose_freshness_threshold
  evaluation_periods  = var.alarms.firehose_freshness.evaluation_periods
  datapoints_to_alarm = var.alarms.firehose_freshness.evaluation_periods
  treat_missing_data  = "notBreaching"
  unit                = "Seconds"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}
