# Delivery events of the configuration set -> Firehose. End User Messaging
# assumes the role below to call PutRecord/PutRecordBatch on that stream only.
resource "aws_pinpointsmsvoicev2_event_destination" "firehose" {
  count = var.event_destination == null ? 0 : 1

  configuration_set_name = local.configuration_set_name
  event_destination_name = var.event_destination.name
  matching_event_types   = coalesce(var.event_destination.matching_event_types, local.default_event_types)
  enabled                = var.event_destination.enabled

  kinesis_firehose_destination {
    delivery_stream_arn = var.event_destination.firehose_stream_arn
    iam_role_arn        = aws_iam_role.event_destination[0].arn
  }

  # The configuration set exists, and the role's policy is in place before the
  # service validates the sink.
  depends_on = [aws_pinpointsmsvoicev2_configuration_set.this, aws_iam_role_policy.event_destination]
}

resource "aws_iam_role" "event_destination" {
  count = var.event_destination == null ? 0 : 1

  name_prefix          = substr("${var.name}-sms-events-", 0, 38)
  path                 = var.role_path
  permissions_boundary = var.role_permissions_boundary
  description          = "End User Messaging SMS writes ${local.configuration_set_name} events to Firehose"
  assume_role_policy   = data.aws_iam_policy_document.event_destination_trust.json
  tags                 = local.tags
}

# Confused-deputy guard: only this account's configuration set may use the role.
data "aws_iam_policy_document" "event_destination_trust" {
  statement {
    sid     = "SmsVoiceAssumeRole"
    actions = ["sts:AssumeRole"]
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
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.configuration_set_arn]
    }
  }
}

resource "aws_iam_role_policy" "event_destination" {
  count = var.event_destination == null ? 0 : 1

  name   = "firehose-put"
  role   = aws_iam_role.event_destination[0].id
  policy = data.aws_iam_policy_document.event_destination[0].json
}

data "aws_iam_policy_document" "event_destination" {
  count = var.event_destination == null ? 0 : 1

  statement {
    sid       = "PutSmsEvents"
    actions   = ["firehose:PutRecord", "firehose:PutRecordBatch"]
    resources = [var.event_destination.firehose_stream_arn]
  }
}
