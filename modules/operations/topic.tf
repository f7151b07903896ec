# The alarms' SNS topic, unless the caller names one. Encrypted with a
# customer managed key: CloudWatch cannot publish to a topic under the AWS
# managed aws/sns key, whose policy cannot admit it (SNS Developer Guide,
# "Enable compatibility between event sources from AWS services and
# encrypted topics": step 1, use a customer managed key).

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109: a key policy's Resource "*" is the key itself; the account root statement is the standard delegation to IAM
  #checkov:skip=CKV_AWS_111: a key policy's Resource "*" is the key itself; the account root statement is the standard delegation to IAM
  #checkov:skip=CKV_AWS_356: a key policy's Resource "*" is the key itself, not every resource
  count = local.create_key ? 1 : 0

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
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name}-*"]
    }
  }
}

resource "aws_kms_key" "alarms" {
  count = local.create_key ? 1 : 0

  description             = "${var.name}: encrypts the ${local.topic_name} SNS topic"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key[0].json
  tags                    = local.tags
}

resource "aws_kms_alias" "alarms" {
  count = local.create_key ? 1 : 0

  name          = "alias/${local.topic_name}"
  target_key_id = aws_kms_key.alarms[0].key_id
}

resource "aws_sns_topic" "alarms" {
  count = local.create_topic ? 1 : 0

  name              = local.topic_name
  kms_master_key_id = local.create_key ? aws_kms_key.alarms[0].arn : var.alarms.kms_key_arn
  tags              = local.tags
}

data "aws_iam_policy_document" "topic" {
  count = local.create_topic ? 1 : 0

  # What the default topic policy grants the owning account, kept: this
  # policy replaces it.
  statement {
    sid = "AccountManages"
    actions = [
      "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission",
      "sns:RemovePermission", "sns:DeleteTopic", "sns:Subscribe",
      "sns:ListSubscriptionsByTopic", "sns:Publish",
    ]
    resources = [local.topic_arn]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceOwner"
      values   = [local.account_id]
    }
  }
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name}-*"]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  count = local.create_topic ? 1 : 0

  arn    = aws_sns_topic.alarms[0].arn
  policy = data.aws_iam_policy_document.topic[0].json
}
