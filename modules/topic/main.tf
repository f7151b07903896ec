# An SNS topic one AWS service publishes to, under a customer managed key of
# its own unless the caller names one. A service can publish to an encrypted
# topic only when the key policy admits it (kms:GenerateDataKey*,
# kms:Decrypt), and the AWS-managed alias/aws/sns key's policy cannot be
# changed: with it, every message the service publishes would be dropped (SNS
# Developer Guide, "Enable compatibility between event sources from AWS
# services and encrypted topics"). Used for the two-way inbound topic, the
# alarms' topic and the WhatsApp events' topic.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  own_key    = var.kms_key_arn == null
  # Built from known parts, so the policy naming the topic is known at plan.
  arn = "arn:${data.aws_partition.current.partition}:sns:${data.aws_region.current.region}:${local.account_id}:${var.name}"
  # The confused-deputy guard: this account, and these sources when given.
  account_condition = [{ test = "StringEquals", variable = "aws:SourceAccount", values = [local.account_id] }]
  source_condition = length(var.publisher.source_arns) == 0 ? [] : [
    { test = "ArnLike", variable = "aws:SourceArn", values = var.publisher.source_arns }
  ]
  publisher_conditions = concat(local.account_condition, local.source_condition)
  key_conditions       = concat(local.account_condition, var.publisher.key_checks_source_arn ? local.source_condition : [])
}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109: a key policy's Resource "*" is the key itself; the account root statement is the standard delegation to IAM
  #checkov:skip=CKV_AWS_111: a key policy's Resource "*" is the key itself; the account root statement is the standard delegation to IAM
  #checkov:skip=CKV_AWS_356: a key policy's Resource "*" is the key itself, not every resource
  count = local.own_key ? 1 : 0

  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root"]
    }
  }
  statement {
    sid       = var.publisher.sid
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = [var.publisher.service]
    }
    dynamic "condition" {
      for_each = local.key_conditions
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }
}

resource "aws_kms_key" "this" {
  count = local.own_key ? 1 : 0

  description             = var.key_description
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key[0].json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  count = local.own_key ? 1 : 0

  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this[0].key_id
}

resource "aws_sns_topic" "this" {
  name              = var.name
  kms_master_key_id = local.own_key ? aws_kms_key.this[0].arn : var.kms_key_arn
  tags              = var.tags
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}

# This policy replaces SNS's default one: only the publisher may publish,
# plus what the default grants the owning account when owner_access is on.
data "aws_iam_policy_document" "topic" {
  dynamic "statement" {
    for_each = var.owner_access ? [1] : []
    content {
      sid = "AccountManages"
      actions = [
        "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission",
        "sns:RemovePermission", "sns:DeleteTopic", "sns:Subscribe",
        "sns:ListSubscriptionsByTopic", "sns:Publish",
      ]
      resources = [local.arn]
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
  }
  statement {
    sid       = var.publisher.sid
    actions   = ["sns:Publish"]
    resources = [local.arn]
    principals {
      type        = "Service"
      identifiers = [var.publisher.service]
    }
    dynamic "condition" {
      for_each = local.publisher_conditions
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }
}
