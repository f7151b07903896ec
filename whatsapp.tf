# WhatsApp events (channels.whatsapp): AWS End User Messaging Social publishes a
# WhatsApp Business Account's events (message statuses, customers' messages) to
# the one standard SNS topic set as the WABA's event destination. Terraform has
# no resource for that setting (PutWhatsAppBusinessAccountEventDestinations): the
# topic is made here and set in the console (output whatsapp_event_topic_arn).
# With event_export on, a Firehose subscription puts each event into the export's
# bucket, under a prefix of its own (modules/event_export, whatsapp_events).

locals {
  whatsapp_topic_name = "${var.name}-whatsapp-events"
  # The confused-deputy guard AWS documents for this service ("Add a message and
  # event destination to AWS End User Messaging Social", encrypted topic
  # policies): this account's End User Messaging Social resources in this region.
  social_messaging_source_arn = "arn:${data.aws_partition.current.partition}:social-messaging:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:*"
  whatsapp_export             = local.whatsapp && var.event_export.enabled
}

# End User Messaging Social can publish to an encrypted topic only when the key
# policy admits social-messaging.amazonaws.com (the statement AWS documents on
# the page above): hence, as for the two-way topic, a key of the topic's own
# (modules/topic) whatever kms_key_arn is. The caller's key needs no
# social-messaging grant, and a key created in the same apply (unknown at plan)
# decides no count. Only End User Messaging Social, for this account's WABAs in
# this region, may publish: the sns:Publish statement AWS documents ("IAM
# policies for Amazon SNS topics"), with the SourceAccount and SourceArn
# conditions AWS recommends on the same page. Standard, not FIFO: End User
# Messaging Social does not publish to FIFO topics.
module "whatsapp_events" {
  source = "./modules/topic"
  count  = local.whatsapp ? 1 : 0

  name = local.whatsapp_topic_name
  publisher = {
    service     = "social-messaging.amazonaws.com"
    sid         = "SocialMessagingPublishEvents"
    source_arns = [local.social_messaging_source_arn]
  }
  key_description = "${var.name}: encrypts the ${local.whatsapp_topic_name} SNS topic (WhatsApp events)"
  tags            = var.tags
}

# These lived in this file before modules/topic: moved, not replaced, on upgrade.
moved {
  from = aws_kms_key.whatsapp_events[0]
  to   = module.whatsapp_events[0].aws_kms_key.this[0]
}
moved {
  from = aws_sns_topic.whatsapp_events[0]
  to   = module.whatsapp_events[0].aws_sns_topic.this
}
moved {
  from = aws_sns_topic_policy.whatsapp_events[0]
  to   = module.whatsapp_events[0].aws_sns_topic_policy.this
}

# Into the event export: raw (the event itself, not SNS's envelope), one
# record per event, on the export's WhatsApp stream.
resource "aws_sns_topic_subscription" "whatsapp_events_export" {
  count = local.whatsapp_export ? 1 : 0

  topic_arn             = module.whatsapp_events[0].arn
  protocol              = "firehose"
  endpoint              = module.event_export[0].whatsapp_stream_arn
  subscription_role_arn = aws_iam_role.whatsapp_events_export[0].arn
  raw_message_delivery  = true

  # SNS may put records only once the role's policy is in place.
  depends_on = [aws_iam_role_policy.whatsapp_events_export]
}

# The role SNS assumes to put the records ("Prerequisites for subscribing
# Firehose delivery streams to Amazon SNS topics": a role trusting the SNS
# service principal; the page names no trust conditions, so none is added that
# could stop delivery). The role can only write to the one stream.
resource "aws_iam_role" "whatsapp_events_export" {
  count = local.whatsapp_export ? 1 : 0

  name_prefix          = substr("${var.name}-whatsapp-events-", 0, 38)
  path                 = var.iam.role_path
  permissions_boundary = var.iam.role_permissions_boundary
  description          = "SNS puts ${local.whatsapp_topic_name} events into the event export's Firehose stream"
  assume_role_policy   = data.aws_iam_policy_document.whatsapp_events_export_trust[0].json
  tags                 = var.tags
}

data "aws_iam_policy_document" "whatsapp_events_export_trust" {
  count = local.whatsapp_export ? 1 : 0

  statement {
    sid     = "SnsAssumeRole"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "whatsapp_events_export" {
  count = local.whatsapp_export ? 1 : 0

  name   = "firehose-put"
  role   = aws_iam_role.whatsapp_events_export[0].id
  policy = data.aws_iam_policy_document.whatsapp_events_export[0].json
}

# AWS's example policy on that page, on the one stream: the two writes and the
# read-only Describe/List actions SNS may check the endpoint with. The ARN is
# built from the stream's name, so the policy is known at plan.
data "aws_iam_policy_document" "whatsapp_events_export" {
  count = local.whatsapp_export ? 1 : 0

  statement {
    sid = "PutWhatsAppEvents"
    actions = [
      "firehose:DescribeDeliveryStream",
      "firehose:ListDeliveryStreams",
      "firehose:ListTagsForDeliveryStream",
      "firehose:PutRecord",
      "firehose:PutRecordBatch",
    ]
    resources = ["arn:${data.aws_partition.current.partition}:firehose:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:deliverystream/${module.event_export[0].whatsapp_stream_name}"]
  }
}
