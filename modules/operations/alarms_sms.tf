# End User Messaging's own metrics (namespace AWS/SMSVoice, account-wide in
# the region: other senders in the account count too). Published only once
# the service-linked role exists and a message was sent (SMS User Guide,
# "Monitoring AWS End User Messaging SMS with Amazon CloudWatch").

# TextMessageMonthlySpend is a month-to-date gauge (USD, statistic Maximum).
# It is published only around sends: missing data keeps the last state, so
# an alarm that fired stays red through a quiet night.
resource "aws_cloudwatch_metric_alarm" "sms_spend" {
  count = var.alarms.sms_spend.enabled && var.alarms.sms_spend.monthly_limit_usd != null ? 1 : 0

  alarm_name          = "${var.name}-sms-spend"
  alarm_description   = "SMS spend this month above ${var.alarms.sms_spend.threshold}% of the ${coalesce(var.alarms.sms_spend.monthly_limit_usd, 0)} USD monthly limit; at the limit End User Messaging stops sending. README: alarms."
  namespace           = "AWS/SMSVoice"
  metric_name         = "TextMessageMonthlySpend"
  statistic           = "Maximum"
  period              = var.alarms.sms_spend.period
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = coalesce(var.alarms.sms_spend.monthly_limit_usd, 0) * var.alarms.sms_spend.threshold / 100
  evaluation_periods  = var.alarms.sms_spend.evaluation_periods
  datapoints_to_alarm = var.alarms.sms_spend.evaluation_periods
  treat_missing_data  = "ignore"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

# Parts sent that carriers did not report delivered. Receipts can lag (and a
# multi-part message may get duplicate receipts, so the rate can dip below
# 0): a long period keeps lag from reading as failure.
resource "aws_cloudwatch_metric_alarm" "sms_delivery_failure_rate" {
  count = var.alarms.sms_delivery_failure_rate.enabled ? 1 : 0

  alarm_name          = "${var.name}-sms-delivery-failure-rate"
  alarm_description   = "Share of SMS parts sent that were not reported delivered above ${var.alarms.sms_delivery_failure_rate.threshold}%: carrier filtering, unregistered numbers or bad destinations. README: alarms."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.sms_delivery_failure_rate.threshold
  evaluation_periods  = var.alarms.sms_delivery_failure_rate.evaluation_periods
  datapoints_to_alarm = var.alarms.sms_delivery_failure_rate.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags

  metric_query {
    id          = "failure_rate"
    expression  = "IF(sent > 0, 100 * (sent - delivered) / sent, 0)"
    label       = "SMS parts not delivered %"
    return_data = true
  }
  metric_query {
    id = "sent"
    metric {
      namespace   = "AWS/SMSVoice"
      metric_name = "NumberOfTextMessagePartsSent"
      period      = var.alarms.sms_delivery_failure_rate.period
      stat        = "Sum"
    }
  }
  metric_query {
    id = "delivered"
    metric {
      namespace   = "AWS/SMSVoice"
      metric_name = "NumberOfTextMessagePartsDelivered"
      period      = var.alarms.sms_delivery_failure_rate.period
      stat        = "Sum"
    }
  }
}
