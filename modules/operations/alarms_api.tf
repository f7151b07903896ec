# The API AJO calls. Rates are metric math over the stage's Count, so a
# busy hour and a quiet one share a threshold. No traffic is no failure:
# missing data is not breaching.

locals {
  api_dimensions = var.api == null ? {} : { ApiName = var.api.name, Stage = var.api.stage }
  api_rates = {
    "5xx" = merge(var.alarms.api_5xx_rate, {
      metric      = "5XXError"
      description = "Share of AJO's calls answered 5xx (an AWS outage, a timeout or a crash; AJO retries them). README: alarms."
    })
    "4xx" = merge(var.alarms.api_4xx_rate, {
      metric      = "4XXError"
      description = "Share of AJO's calls refused 4xx: a broken payload mapping, a wrong or rotated API key, or throttling. README: alarms."
    })
  }
}

resource "aws_cloudwatch_metric_alarm" "api_rate" {
  for_each = { for k, a in local.api_rates : k => a if var.api != null && a.enabled }

  alarm_name          = "${var.name}-api-${each.key}-rate"
  alarm_description   = each.value.description
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.evaluation_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * errors / requests, 0)"
    label       = "${each.value.metric} % of requests"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = each.value.metric
      dimensions  = local.api_dimensions
      period      = each.value.period
      stat        = "Sum"
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = local.api_dimensions
      period      = each.value.period
      stat        = "Sum"
    }
  }
}

# AJO moves an endpoint slower than 0.75 s to its slow lane: warn before.
resource "aws_cloudwatch_metric_alarm" "api_latency_p99" {
  count = var.api != null && var.alarms.api_latency_p99.enabled ? 1 : 0

  alarm_name          = "${var.name}-api-latency-p99"
  alarm_description   = "p99 latency of AJO's calls near AJO's 750 ms slow-lane limit. README: alarms."
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  dimensions          = local.api_dimensions
  extended_statistic  = "p99"
  period              = var.alarms.api_latency_p99.period
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.api_latency_p99.threshold
  evaluation_periods  = var.alarms.api_latency_p99.evaluation_periods
  datapoints_to_alarm = var.alarms.api_latency_p99.evaluation_periods
  treat_missing_data  = "notBreaching"
  unit                = "Milliseconds"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}
