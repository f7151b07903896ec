# The dispatcher: the send function's zip, second entry point, fed by one
# event source mapping per queue (queues.tf).

module "dispatch_function" {
  source = "../function"

  name                      = local.function_name
  description               = "Sends queued SMS at ${var.delivery.mps} message parts/s (paced delivery)"
  package                   = var.package
  handler                   = "dispatcher.handler"
  runtime                   = var.function.runtime
  architecture              = var.function.architecture
  memory_size               = var.function.memory_size
  timeout                   = var.function.timeout
  tracing_mode              = var.function.tracing_mode
  log_retention_days        = var.function.log_retention_days
  role_path                 = var.function.role_path
  role_permissions_boundary = var.function.role_permissions_boundary
  kms_key_arn               = var.kms_key_arn
  tags                      = local.tags

  environment = merge(
    var.sms_environment,
    {
      DELIVERY_TABLE          = local.table_name
      MPS                     = tostring(var.delivery.mps)
      PROMOTIONAL_RESERVE     = tostring(local.promotional_reserve)
      MAX_ATTEMPTS            = tostring(var.delivery.max_attempts)
      QUEUE_URL_TRANSACTIONAL = local.queue_urls.transactional
      QUEUE_URL_PROMOTIONAL   = local.queue_urls.promotional
      DLQ_URL                 = local.dlq_url
      METRICS_NAMESPACE       = var.metrics_namespace
    },
    var.events_stream_name == null ? {} : { EVENTS_STREAM_NAME = var.events_stream_name },
  )

  policy_statements = local.dispatch_policy_statements
}

locals {
  # Beyond its own logs (modules/function): consume and re-enqueue on both
  # queues, send to the DLQ, the state table, the SMS send itself, outcomes
  # to Firehose, and the key through SQS and DynamoDB only.
  dispatch_policy_statements = concat(
    [
      {
        sid = "ConsumeAndRequeue"
        actions = [
          "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
          "sqs:ChangeMessageVisibility", "sqs:SendMessage",
        ]
        resources = values(local.queue_arns)
      },
      {
        sid       = "DeadLetter"
        actions   = ["sqs:SendMessage"]
        resources = [local.dlq_arn]
      },
      {
        sid       = "DeliveryRecords"
        actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
        resources = [local.table_arn]
      },
    ],
    var.send_policy_statements,
    var.events_stream_name == null ? [] : [{
      sid       = "PutOutcomes"
      actions   = ["firehose:PutRecordBatch"]
      resources = [local.stream_arn]
    }],
    var.kms_key_arn == null ? [] : [{
      sid       = "QueueAndTableKey"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
      resources = [var.kms_key_arn]
      condition = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["sqs.${local.region}.amazonaws.com", "dynamodb.${local.region}.amazonaws.com"]
      }]
    }],
  )
}
