# What the send function (the accept path) needs to enqueue, shaped for the
# root to add to its environment and role: docs/DELIVERY.md "Environment
# variables" and "IAM".
locals {
  send_environment = {
    QUEUE_URL_TRANSACTIONAL = local.queue_urls.transactional
    QUEUE_URL_PROMOTIONAL   = local.queue_urls.promotional
    DELIVERY_TABLE          = local.table_name
    VALIDITY_SECONDS        = tostring(var.delivery.validity_seconds)
  }

  send_policy_statements = concat(
    [
      {
        sid       = "Enqueue"
        actions   = ["sqs:SendMessage"]
        resources = values(local.queue_arns)
      },
      {
        # A replay of a queued request reads its tracking record for the messageId.
        sid       = "ReadDeliveryRecords"
        actions   = ["dynamodb:GetItem"]
        resources = [local.table_arn]
      },
    ],
    var.kms_key_arn == null ? [] : [{
      sid       = "QueueKey"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [var.kms_key_arn]
      condition = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["sqs.${local.region}.amazonaws.com", "dynamodb.${local.region}.amazonaws.com"]
      }]
    }],
  )
}
