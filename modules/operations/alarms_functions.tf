# Every function: errors, throttles and, where a limit is reserved,
# concurrency near it. An idle function publishes nothing, which is fine.

locals {
  function_counts = {
    errors = merge(var.alarms.function_errors, {
      metric = "Errors"
      what   = "invocations that failed (a crash, a timeout or an unhandled error)"
    })
    throttles = merge(var.alarms.function_throttles, {
      metric = "Throttles"
      what   = "invocations Lambda refused for lack of concurrency"
    })
  }
  function_count_alarms = merge([
    for kind, a in local.function_counts : {
      for k, f in var.functions : "${k}-${kind}" => merge(a, { function = f.name, key = k }) if a.enabled
    }
  ]...)
}

resource "aws_cloudwatch_metric_alarm" "function" {
  for_each = local.function_count_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = "${each.value.function}: ${each.value.what}. README: alarms."
  namespace           = "AWS/Lambda"
  metric_name         = each.value.metric
  dimensions          = { FunctionName = each.value.function }
  statistic           = "Sum"
  period              = each.value.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "function_concurrency" {
  for_each = var.alarms.function_concurrency.enabled ? local.reserved_functions : {}

  alarm_name          = "${var.name}-${each.key}-concurrency"
  alarm_description   = "${each.value.name}: concurrent executions above ${var.alarms.function_concurrency.threshold}% of its reserved ${each.value.reserved_concurrency}; at the limit Lambda throttles. README: alarms."
  namespace           = "AWS/Lambda"
  metric_name         = "ConcurrentExecutions"
  dimensions          = { FunctionName = each.value.name }
  statistic           = "Maximum"
  period              = var.alarms.function_concurrency.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.reserved_concurrency * var.alarms.function_concurrency.threshold / 100
  evaluation_periods  = var.alarms.function_concurrency.evaluation_periods
  datapoints_to_alarm = var.alarms.function_concurrency.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}
