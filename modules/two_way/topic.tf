# The topic End User Messaging publishes inbound messages to, and its one
# subscriber: the inbound queue.

# End User Messaging can publish to an encrypted topic only when the key
# policy admits sms-voice.amazonaws.com (kms:GenerateDataKey*, kms:Decrypt);
# the AWS-managed alias/aws/sns key's policy cannot be changed, so with it every
# inbound message would be dropped (End User Messaging SMS user guide, "Topic
# policies for Amazon SNS topics"). Hence a key made here for the topic alone,
# whatever kms_key_arn is: the caller's key needs no sms-voice grant, and a key
# created in the same apply (unknown at plan) decides no count.
data "aws_iam_policy_document" "topic_key" {
  #checkov:skip=CKV_AWS_109: a key policy's Resource "*" is the key itself; the account root statement is the standard delegation to IAM
  #checkov:skip=CKV_AWS_111: a key policy's Resource "*" is the key itself; the account root statement is the standard delegation to IAM
  #checkov:skip=CKV_AWS_356: a key policy's Resource "*" is the key itself, not every resource
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
  statement {
    sid       = "SmsVoicePublishesInbound"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["sms-voice.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_kms_key" "topic" {
  description             = "${var.name}: encrypts the ${local.topic_name} SNS topic (two-way SMS)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.topic_key.json
  tags                    = local.tags
}

resource "aws_sns_topic" "this" {
  name              = local.topic_name
  kms_master_key_id = aws_kms_key.topic.arn
  tags              = local.tags
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}

# Only End User Messaging, for this account's numbers, may publish. The
# source is matched by pattern, not by the requested numbers' ARNs: those
# numbers name this topic as their two-way channel, so listing their ARNs
# here would make topic policy and numbers depend on each other (a cycle),
# and existing numbers attached later (the attach_command output) would need
# a policy change. A number in a pool takes its two-way settings from the
# pool (UpdatePhoneNumber refuses pooled numbers), hence pools too.
data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "SmsVoicePublishInbound"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]
    principals {
      type        = "Service"
      identifiers = ["sms-voice.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["${local.sms_arn}:phone-number/*", "${local.sms_arn}:pool/*"]
    }
  }
}

# Raw message delivery OFF: the queue gets SNS's envelope, whose Timestamp is
# the time the message arrived (the inbound function's OriginTimestamp).
resource "aws_sns_topic_subscription" "queue" {
  topic_arn            = aws_sns_topic.this.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.this.arn
  raw_message_delivery = false

  # SNS may deliver only once the queue policy admits it.
  depends_on = [aws_sqs_queue_policy.this]
}
