# Standard SQS queues feeding one Lambda function, and the dead-letter queue
# they share: the one shape of every queue of this project (delivery's
# dispatcher, two-way's inbound function, the event export's forwarder). SSE
# with the given KMS key, else SQS-managed; every queue refuses requests
# without TLS; only the records the function lists as failed come back.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # ARNs built from known parts, so the plan shows the policies and mappings.
  sqs_arn    = "arn:${data.aws_partition.current.partition}:sqs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}"
  queue_arns = { for k, name in var.queues : k => "${local.sqs_arn}:${name}" }
  dlq_arn    = "${local.sqs_arn}:${var.dead_letter_queue_name}"
  # 14 days, the maximum: time to fix the cause and redrive, and longer than
  # any message's validity, so nothing is dropped before it is handled.
  retention_seconds = 1209600
}

resource "aws_sqs_queue" "dlq" {
  name                      = var.dead_letter_queue_name
  message_retention_seconds = local.retention_seconds
  kms_master_key_id         = var.kms_key_arn
  sqs_managed_sse_enabled   = var.kms_key_arn == null ? true : null # conflicts with a key
  tags                      = var.tags
}

resource "aws_sqs_queue" "this" {
  for_each = var.queues

  name = each.value
  # AWS's guidance for Lambda sources: at least 6x the function timeout, so a
  # message is not redelivered while an invocation still works on it.
  visibility_timeout_seconds = 6 * var.consumer.timeout
  message_retention_seconds  = local.retention_seconds
  kms_master_key_id          = var.kms_key_arn
  sqs_managed_sse_enabled    = var.kms_key_arn == null ? true : null
  redrive_policy = jsonencode({
    deadLetterTargetArn = local.dlq_arn
    maxReceiveCount     = var.max_receive_count
  })
  tags = var.tags

  # The redrive target must exist (named by its known ARN above).
  depends_on = [aws_sqs_queue.dlq]
}

# No redrive_allow_policy argument on the DLQ: it would only limit which
# queues may name it as theirs (access to its messages is IAM's and the queue
# policy's), and moto, which the end-to-end suite applies to, drops the
# attribute (GetQueueAttributes: "Unknown Attribute RedriveAllowPolicy"). A
# caller may add an aws_sqs_queue_redrive_allow_policy (event_export does).

data "aws_iam_policy_document" "queue" {
  for_each = merge(local.queue_arns, { dlq = local.dlq_arn })

  dynamic "statement" {
    for_each = var.publisher != null && each.key != "dlq" ? [var.publisher] : []
    content {
      sid       = statement.value.sid
      actions   = ["sqs:SendMessage"]
      resources = [each.value]
      principals {
        type        = "Service"
        identifiers = [statement.value.service]
      }
      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = [statement.value.source_arn]
      }
      dynamic "condition" {
        for_each = statement.value.source_account == null ? [] : [statement.value.source_account]
        content {
          test     = "StringEquals"
          variable = "aws:SourceAccount"
          values   = [condition.value]
        }
      }
    }
  }

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
  for_each = var.queues

  queue_url = aws_sqs_queue.this[each.key].id
  policy    = data.aws_iam_policy_document.queue[each.key].json
}

resource "aws_sqs_queue_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  policy    = data.aws_iam_policy_document.queue["dlq"].json
}

resource "aws_lambda_event_source_mapping" "this" {
  for_each = var.queues

  event_source_arn = local.queue_arns[each.key]
  function_name    = var.consumer.function_arn
  batch_size       = var.consumer.batch_size
  # Only the records the function lists come back; the others are deleted.
  function_response_types = ["ReportBatchItemFailures"]

  # Per queue, so a backlog on one cannot take another's pollers, nor more
  # of the account's concurrency (or a downstream's connections) than meant.
  scaling_config {
    maximum_concurrency = var.consumer.maximum_concurrency
  }

  # Named by its known ARN above, so the plan shows which queue feeds it.
  depends_on = [aws_sqs_queue.this]
}
