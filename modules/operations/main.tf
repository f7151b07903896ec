# Operations (README): alarms on the module's own resources, one dashboard and
# Athena report queries. Generic inputs: the root passes names of what it
# deployed, so each alarm exists only for a resource that exists.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  tags       = merge(var.tags, { "ajo-sms:module" = "operations" })

  # The topic ARN is built from known parts, so the plan shows every alarm's
  # actions (the topic itself is created in the same apply).
  topic_name   = "${var.name}-alarms"
  create_topic = var.alarms.topic_arn == null && var.alarms.create_topic
  topic_arn = (var.alarms.topic_arn != null ? var.alarms.topic_arn :
    local.create_topic ? "arn:${local.partition}:sns:${local.region}:${local.account_id}:${local.topic_name}" : null
  )
  # Alarm and recovery both notify: an on-call sees when it is over.
  alarm_actions = local.topic_arn == null ? [] : [local.topic_arn]

  # Functions with a reserved limit (> 0: at 0 the function is stopped on purpose).
  reserved_functions = {
    for k, f in var.functions : k => f if try(f.reserved_concurrency > 0, false)
  }
  aged_queues = { for k, q in var.queues : k => q if q.max_age_seconds != null }

  # The dispatcher records queued messages that expired unsent (EMF `Expired`).
  dispatch_function = try(var.functions["dispatch"].name, null)

  firehose_freshness_threshold = var.firehose == null ? null : coalesce(
    var.alarms.firehose_freshness.threshold, max(2 * var.firehose.buffering_interval, 120),
  )
}
