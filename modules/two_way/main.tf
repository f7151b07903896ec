# Two-way SMS (docs: "inbound" path): inbound messages of the two-way numbers
# -> SNS topic -> SQS queue (+ DLQ) -> functions/sms_inbound, which answers
# keywords, keeps the opt-out list in self-managed mode, and forwards each
# message to AJO's inbound webhook and the event export. A DynamoDB table
# records each message's progress, so every step happens once.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  tags       = merge(var.tags, { "ajo-sms:module" = "two_way" })

  topic_name    = "${var.name}-sms-inbound"
  queue_name    = "${var.name}-sms-inbound"
  dlq_name      = "${var.name}-sms-inbound-dlq"
  table_name    = "${var.name}-inbound"
  function_name = "${var.name}-sms-inbound"

  # ARNs and URLs built from known parts (not read from the resources), so
  # the plan shows the exact policies, permissions and environment.
  topic_arn = "arn:${local.partition}:sns:${local.region}:${local.account_id}:${local.topic_name}"
  sqs_arn   = "arn:${local.partition}:sqs:${local.region}:${local.account_id}"
  sqs_url   = "https://sqs.${local.region}.${data.aws_partition.current.dns_suffix}/${local.account_id}"
  queue_arn = "${local.sqs_arn}:${local.queue_name}"
  queue_url = "${local.sqs_url}/${local.queue_name}"
  dlq_arn   = "${local.sqs_arn}:${local.dlq_name}"
  dlq_url   = "${local.sqs_url}/${local.dlq_name}"
  table_arn = "arn:${local.partition}:dynamodb:${local.region}:${local.account_id}:table/${local.table_name}"
  sms_arn   = "arn:${local.partition}:sms-voice:${local.region}:${local.account_id}"
  stream_arn = (var.events_stream_name == null ? null :
    "arn:${local.partition}:firehose:${local.region}:${local.account_id}:deliverystream/${var.events_stream_name}"
  )
  opt_out_list_arn = (var.opt_out_list_name == null ? null :
    "${local.sms_arn}:opt-out-list/${var.opt_out_list_name}"
  )
}
