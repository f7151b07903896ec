# The topic End User Messaging publishes inbound messages to, and its one
# subscriber: the inbound queue.

# End User Messaging can publish to an encrypted topic only when the key
# policy admits sms-voice.amazonaws.com (End User Messaging SMS user guide,
# "Topic policies for Amazon SNS topics"): hence a key made for the topic
# alone (modules/topic), whatever kms_key_arn is. The caller's key needs no
# sms-voice grant, and a key created in the same apply (unknown at plan)
# decides no count. The key policy checks the account only, as it did before
# modules/topic (the source patterns below are the topic policy's).
#
# Only End User Messaging, for this account's numbers, may publish. The
# source is matched by pattern, not by the requested numbers' ARNs: those
# numbers name this topic as their two-way channel, so listing their ARNs
# here would make topic policy and numbers depend on each other (a cycle),
# and existing numbers attached later (the attach_command output) would need
# a policy change. A number in a pool takes its two-way settings from the
# pool (UpdatePhoneNumber refuses pooled numbers), hence pools too.
module "topic" {
  source = "../topic"

  name = local.topic_name
  publisher = {
    service               = "sms-voice.amazonaws.com"
    sid                   = "SmsVoicePublishInbound"
    source_arns           = ["${local.sms_arn}:phone-number/*", "${local.sms_arn}:pool/*"]
    key_checks_source_arn = false
  }
  key_description = "${var.name}: encrypts the ${local.topic_name} SNS topic (two-way SMS)"
  tags            = local.tags
}

# These lived in this file before modules/topic: moved, not replaced, on upgrade.
moved {
  from = aws_kms_key.topic
  to   = module.topic.aws_kms_key.this[0]
}
moved {
  from = aws_sns_topic.this
  to   = module.topic.aws_sns_topic.this
}
moved {
  from = aws_sns_topic_policy.this
  to   = module.topic.aws_sns_topic_policy.this
}

# Raw message delivery OFF: the queue gets SNS's envelope, whose Timestamp is
# the time the message arrived (the inbound function's OriginTimestamp).
resource "aws_sns_topic_subscription" "queue" {
  topic_arn            = module.topic.arn
  protocol             = "sqs"
  endpoint             = module.queue.arns.inbound
  raw_message_delivery = false

  # SNS may deliver only once the queue policy admits it.
  depends_on = [module.queue]
}
