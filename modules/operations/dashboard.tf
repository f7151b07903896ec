# One dashboard (README: dashboard): traffic against AJO's limits, outcomes
# by code, throughput against the MPS, queues, delivery and the alarms.
# Custom metrics are the functions' EMF ones (FunctionName[, Code]).

locals {
  ns     = var.metrics_namespace
  period = 300
  fn     = { for k, f in var.functions : k => f.name }
  # Rows that exist only with their resource are cut with slice(): a
  # conditional cannot choose between tuples of different shapes.
  has_api      = var.api != null
  api_dims     = ["ApiName", try(var.api.name, ""), "Stage", try(var.api.stage, "")]
  has_dispatch = contains(keys(local.fn), "dispatch")
  has_send     = contains(keys(local.fn), "send")
  has_inbound  = contains(keys(local.fn), "inbound")

  # Every alarm's ARN from its name, known at plan (the alarm widget).
  alarm_arns = [
    for name in concat(
      values(aws_cloudwatch_metric_alarm.api_rate)[*].alarm_name,
      aws_cloudwatch_metric_alarm.api_latency_p99[*].alarm_name,
      values(aws_cloudwatch_metric_alarm.function)[*].alarm_name,
      values(aws_cloudwatch_metric_alarm.function_concurrency)[*].alarm_name,
      values(aws_cloudwatch_metric_alarm.dead_letter_queue)[*].alarm_name,
      values(aws_cloudwatch_metric_alarm.queue_age)[*].alarm_name,
      aws_cloudwatch_metric_alarm.queued_expired[*].alarm_name,
      aws_cloudwatch_metric_alarm.firehose_delivery[*].alarm_name,
      aws_cloudwatch_metric_alarm.firehose_freshness[*].alarm_name,
      aws_cloudwatch_metric_alarm.sms_spend[*].alarm_name,
      aws_cloudwatch_metric_alarm.sms_delivery_failure_rate[*].alarm_name,
    ) : "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${name}"
  ]

  outcome_search = {
    for k in ["send", "dispatch"] : k => (
      k == "send"
      ? "SEARCH('{${local.ns},FunctionName,Code} MetricName=\"Requests\" FunctionName=\"${local.fn[k]}\"', 'Sum', ${local.period})"
      : "SEARCH('{${local.ns},FunctionName,Code} (MetricName=\"Dispatched\" OR MetricName=\"Expired\" OR MetricName=\"Rejected\" OR MetricName=\"Throttled\" OR MetricName=\"Unknown\") FunctionName=\"${local.fn[k]}\"', 'Sum', ${local.period})"
    ) if contains(keys(local.fn), k)
  }

  widgets = concat(
    slice([
      {
        title = "Requests per second (AJO: throttling floor 200/s, default cap 5,000/s)"
        metrics = [
          [{ expression = "requests / PERIOD(requests)", label = "requests/s", id = "rps" }],
          concat(["AWS/ApiGateway", "Count"], local.api_dims, [{ id = "requests", stat = "Sum", visible = false }]),
        ]
        annotations = { horizontal = [
          { label = "AJO throttling floor", value = 200 },
          { label = "AJO default cap", value = 5000 },
        ] }
      },
      {
        title = "Latency, ms (AJO: slow lane over 750 ms, circuit breaker over 10 s)"
        metrics = [
          concat(["AWS/ApiGateway", "Latency"], local.api_dims, [{ stat = "p50", label = "p50" }]),
          concat(["AWS/ApiGateway", "Latency"], local.api_dims, [{ stat = "p99", label = "p99" }]),
          concat(["AWS/ApiGateway", "IntegrationLatency"], local.api_dims, [{ stat = "p99", label = "integration p99" }]),
        ]
        annotations = { horizontal = [
          { label = "alarm", value = var.alarms.api_latency_p99.threshold },
          { label = "AJO slow lane", value = 750 },
        ] }
      },
    ], 0, local.has_api ? 2 : 0),
    [
      {
        title = "Outcomes by code"
        metrics = concat(
          [for k, e in local.outcome_search : [{ expression = e, label = "${k}:", id = "${k}_codes" }]],
          slice([
            concat(["AWS/ApiGateway", "4XXError"], local.api_dims, [{ stat = "Sum", label = "API 4xx" }]),
            concat(["AWS/ApiGateway", "5XXError"], local.api_dims, [{ stat = "Sum", label = "API 5xx" }]),
          ], 0, local.has_api ? 2 : 0),
        )
      },
      {
        title = "Throughput, message parts/s${var.mps == null ? "" : " (paced at ${var.mps} MPS)"}"
        metrics = concat(
          [
            [{ expression = "sms_parts / PERIOD(sms_parts)", label = "sent (End User Messaging)", id = "sent_rate" }],
            ["AWS/SMSVoice", "NumberOfTextMessagePartsSent", { id = "sms_parts", stat = "Sum", visible = false }],
          ],
          slice([
            [{ expression = "dispatched / PERIOD(dispatched)", label = "dispatched from the queues", id = "dispatch_rate" }],
            [local.ns, "Segments", "FunctionName", lookup(local.fn, "dispatch", ""), { id = "dispatched", stat = "Sum", visible = false }],
          ], 0, local.has_dispatch ? 2 : 0),
          slice([
            [{ expression = "accepted / PERIOD(accepted)", label = "accepted (sent or queued)", id = "accept_rate" }],
            [local.ns, "Segments", "FunctionName", lookup(local.fn, "send", ""), { id = "accepted", stat = "Sum", visible = false }],
          ], 0, local.has_send ? 2 : 0),
        )
        annotations = { horizontal = [for mps in(var.mps == null ? [] : [var.mps]) : { label = "delivery.mps", value = mps }] }
      },
      {
        title = "Queue depth (visible messages)"
        metrics = concat(
          [for k, q in var.queues : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.name, { stat = "Maximum", label = k }]],
          [for k, q in var.dead_letter_queues : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q, { stat = "Maximum", label = "${k} (DLQ)" }]],
        )
      },
      {
        title = "Oldest queued message, s"
        metrics = [
          for k, q in var.queues : ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", q.name, { stat = "Maximum", label = k }]
        ]
      },
      {
        title = "Delivery: SMS parts sent, delivered, blocked; inbound"
        metrics = concat(
          [
            ["AWS/SMSVoice", "NumberOfTextMessagePartsSent", { stat = "Sum", label = "parts sent" }],
            ["AWS/SMSVoice", "NumberOfTextMessagePartsDelivered", { stat = "Sum", label = "parts delivered" }],
            ["AWS/SMSVoice", "TextMessagesBlockedByProtect", { stat = "Sum", label = "blocked by Protect" }],
          ],
          [
            for m in(local.has_inbound ? ["Inbound", "OptOuts", "OptIns", "HelpRequests"] : []) :
            [local.ns, m, "FunctionName", local.fn["inbound"], { stat = "Sum", label = "inbound ${m}" }]
          ],
        )
      },
      {
        title = "Function errors and throttles"
        metrics = flatten([
          for k, name in local.fn : [
            ["AWS/Lambda", "Errors", "FunctionName", name, { stat = "Sum", label = "${k} errors" }],
            ["AWS/Lambda", "Throttles", "FunctionName", name, { stat = "Sum", label = "${k} throttles" }],
          ]
        ])
      },
    ],
    [for stream in(var.firehose == null ? [] : [var.firehose.stream_name]) : {
      title = "Delivery events to S3 (Firehose)"
      metrics = [
        ["AWS/Firehose", "IncomingRecords", "DeliveryStreamName", stream, { stat = "Sum", label = "records in" }],
        ["AWS/Firehose", "DeliveryToS3.Records", "DeliveryStreamName", stream, { stat = "Sum", label = "records to S3" }],
        ["AWS/Firehose", "DeliveryToS3.DataFreshness", "DeliveryStreamName", stream, { stat = "Maximum", label = "freshness, s", yAxis = "right" }],
      ]
    }],
  )

  dashboard_body = jsonencode({
    widgets = concat(
      [for i, w in local.widgets : {
        type   = "metric"
        x      = (i % 2) * 12
        y      = floor(i / 2) * 6
        width  = 12
        height = 6
        properties = merge(
          {
            title   = w.title
            region  = local.region
            view    = "timeSeries"
            stacked = false
            period  = local.period
            metrics = w.metrics
          },
          try(w.annotations, null) == null ? {} : { annotations = w.annotations },
        )
      }],
      length(local.alarm_arns) == 0 ? [] : [{
        type   = "alarm"
        x      = 0
        y      = ceil(length(local.widgets) / 2) * 6
        width  = 24
        height = 4
        properties = {
          title  = "Alarms"
          alarms = local.alarm_arns
        }
      }],
    )
  })
}

resource "aws_cloudwatch_dashboard" "this" {
  count = var.dashboard ? 1 : 0

  dashboard_name = var.name
  dashboard_body = local.dashboard_body
}
