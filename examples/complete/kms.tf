# One customer-managed key for logs, the idempotency table, function
# environments, the API key and AEP secrets, the event bucket, the forwarder's
# queues and the two-way topic, queues and table. CloudWatch Logs, S3 (which
# notifies the forwarder's queue), End User Messaging (which publishes to the
# two-way topic) and SNS (which delivers to the inbound queue) must be allowed
# to use it explicitly.

data "aws_partition" "current" {}
data "aws_region" "current" {}

resource "aws_kms_key" "this" {
  description         = "${var.name}: SMS for Adobe Journey Optimizer"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.kms.json
}

data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109: a key policy's Resource "*" is the key itself; the account root statement is the standard delegation to IAM
  #checkov:skip=CKV_AWS_111: a key policy's Resource "*" is the key itself; the account root statement is the standard delegation to IAM
  #checkov:skip=CKV_AWS_356: a key policy's Resource "*" is the key itself, not every resource
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${data.aws_region.current.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }

  # S3 event notifications into the encrypted forwarder queue, from this account's buckets.
  statement {
    sid       = "S3NotifiesEncryptedQueue"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  # The two-way topic delivering into the encrypted inbound queue.
  statement {
    sid       = "SnsDeliversToEncryptedQueue"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}
