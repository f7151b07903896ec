# Two standard queues and the DLQ they share. SSE with the given KMS key,
# else SQS-managed; every queue refuses requests without TLS.

resource "aws_sqs_queue" "dlq" {
  name                      = local.dlq_name
  message_retention_seconds = 1209600 # 14 days, the maximum: time to fix the cause and redrive
  kms_master_key_id         = var.kms_key_arn
  sqs_managed_sse_enabled   = var.kms_key_arn == null ? true : null
  tags                      = local.tags
}

resource "aws_sqs_queue" "this" {
  for_each = local.queue_names

  name                       = each.value
  visibility_timeout_seconds = local.visibility_timeout_seconds
  # Longer than any validity (72 h at most): a message is dispatched, and
  # recorded EXPIRED if late, before SQS could drop it silently.
  message_retention_seconds = 1209600
  kms_master_key_id         = var.kms_key_arn
  sqs_managed_sse_enabled   = var.kms_key_arn == null ? true : null
  redrive_policy = jsonencode({
    deadLetterTargetArn = local.dlq_arn
    maxReceiveCount     = local.max_receive_count
  })
  tags = local.tags

  # The redrive target must exist (named by its known ARN above).
  depends_on = [aws_sqs_queue.dlq]
}

# No redrive-allow policy on the DLQ: it would only limit which queues may
# name it as theirs (access to its messages is IAM's and the queue policy's),
# and moto, which the end-to-end suite applies to, drops the attribute
# (GetQueueAttributes: "Unknown Attribute RedriveAllowPolicy").

data "aws_iam_policy_document" "deny_insecure_transport" {
  for_each = merge(local.queue_arns, { dlq = local.dlq_arn })

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [each.value]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  for_each = merge(
    { for k, q in aws_sqs_queue.this : k => q.id },
    { dlq = aws_sqs_queue.dlq.id },
  )

  queue_url = each.value
  policy    = data.aws_iam_policy_document.deny_insecure_transport[each.key].json
}
