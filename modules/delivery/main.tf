# Paced delivery (docs/DELIVERY.md): the send function enqueues, a dispatcher
# sends at the identities' MPS. Two queues so a TRANSACTIONAL message never
# waits behind a PROMOTIONAL backlog, one DLQ, one state table.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  tags       = merge(var.tags, { "ajo-sms:module" = "delivery" })

  queue_names = {
    transactional = "${var.name}-sms-transactional"
    promotional   = "${var.name}-sms-promotional"
  }
  dlq_name      = "${var.name}-sms-dlq"
  table_name    = "${var.name}-delivery"
  function_name = "${var.name}-sms-dispatch"

  # ARNs and URLs built from known parts (not read from the resources), so
  # the plan shows the exact permissions and environment.
  sqs_arn    = "arn:${local.partition}:sqs:${local.region}:${local.account_id}"
  sqs_url    = "https://sqs.${local.region}.${data.aws_partition.current.dns_suffix}/${local.account_id}"
  queue_arns = { for k, name in local.queue_names : k => "${local.sqs_arn}:${name}" }
  queue_urls = { for k, name in local.queue_names : k => "${local.sqs_url}/${name}" }
  dlq_arn    = "${local.sqs_arn}:${local.dlq_name}"
  dlq_url    = "${local.sqs_url}/${local.dlq_name}"
  table_arn  = "arn:${local.partition}:dynamodb:${local.region}:${local.account_id}:table/${local.table_name}"
  stream_arn = (var.events_stream_name == null ? null :
    "arn:${local.partition}:firehose:${local.region}:${local.account_id}:deliverystream/${var.events_stream_name}"
  )

  # At most mps - 1, so promotional messages are always sent eventually.
  promotional_reserve = coalesce(
    var.delivery.promotional_reserve,
    min(ceil(var.delivery.mps / 3), var.delivery.mps - 1),
  )

  # Only crashes and unexpected errors count receives: throttled and
  # transiently failed messages are re-enqueued as copies (docs/DELIVERY.md).
  max_receive_count = 10
}

# A plan warning, not an error: the journey size is an estimate.
check "journey_drains_within_validity" {
  assert {
    condition = (var.delivery.expected_journey_size == null ? true :
      var.delivery.expected_journey_size / var.delivery.mps <= var.delivery.validity_seconds
    )
    error_message = "A journey of ${coalesce(var.delivery.expected_journey_size, 0)} message parts takes ${ceil(coalesce(var.delivery.expected_journey_size, 0) / var.delivery.mps)} s to drain at ${var.delivery.mps} parts/s, longer than delivery.validity_seconds (${var.delivery.validity_seconds} s): the rest would expire unsent. Add MPS, raise the validity or split the journey (bench/capacity.py --drain)."
  }
}
