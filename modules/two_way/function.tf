# The inbound function (functions/sms_inbound), fed by the inbound queue
# (queues.tf).

module "inbound_function" {
  source = "../function"

  name                      = local.function_name
  description               = "Handles inbound SMS: keywords, opt-outs, replies, AJO inbound webhook"
  package                   = var.package
  runtime                   = var.function.runtime
  architecture              = var.function.architecture
  memory_size               = var.function.memory_size
  timeout                   = var.function.timeout
  reserved_concurrency      = var.function.reserved_concurrency
  tracing_mode              = var.function.tracing_mode
  log_retention_days        = var.function.log_retention_days
  role_path                 = var.function.role_path
  role_permissions_boundary = var.function.role_permissions_boundary
  kms_key_arn               = var.kms_key_arn
  tags                      = local.tags

  environment = local.environment
  # Granted before the mapping polls: its first receive uses the role.
  policy_statements = local.policy_statements
}

locals {
  webhook = var.ajo_inbound_webhook

  # The contract's variables (BRIEF: inbound function); every key depends only
  # on inputs, so the plan shows them all even where a value is unknown.
  environment = merge(
    {
      INBOUND_TABLE         = local.table_name
      SELF_MANAGED_OPT_OUTS = tostring(var.self_managed_opt_outs)
      OPT_OUT_KEYWORDS      = jsonencode(var.keywords.opt_out)
      OPT_IN_KEYWORDS       = jsonencode(var.keywords.opt_in)
      HELP_KEYWORDS         = jsonencode(var.keywords.help)
      CUSTOM_KEYWORDS       = jsonencode(var.keywords.custom)
      OPT_OUT_REPLY         = var.replies.opt_out
      OPT_IN_REPLY          = var.replies.opt_in
      HELP_REPLY            = var.replies.help
      MAX_ATTEMPTS          = tostring(var.function.max_attempts)
      HTTP_TIMEOUT_SECONDS  = tostring(var.function.http_timeout_seconds)
      LOG_LEVEL             = var.function.log_level
    },
    var.opt_out_list_name == null ? {} : { OPT_OUT_LIST_NAME = var.opt_out_list_name },
    var.configuration_set_name == null ? {} : { CONFIGURATION_SET_NAME = var.configuration_set_name },
    local.webhook == null ? {} : { for k, v in {
      AJO_INBOUND_WEBHOOK_URL        = local.webhook.url
      AJO_INBOUND_WEBHOOK_SECRET_ARN = local.webhook.secret_arn
      AJO_INBOUND_WEBHOOK_HEADER     = local.webhook.header_name
    } : k => v if v != null },
    var.events_stream_name == null ? {} : { EVENTS_STREAM_NAME = var.events_stream_name },
  )

  webhook_secret_arn     = try(local.webhook.secret_arn, null)
  webhook_secret_kms_key = try(local.webhook.secret_kms_key_arn, null)

  # Beyond its own logs (modules/function): consume the queue, the progress
  # records, and, only where used, the opt-out list and replies
  # (self-managed mode), the webhook secret, the event stream, the key
  # through SQS and DynamoDB only.
  policy_statements = concat(
    [
      {
        sid = "ConsumeQueue"
        actions = [
          "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
          "sqs:ChangeMessageVisibility",
        ]
        resources = [local.queue_arn]
      },
      {
        sid       = "InboundRecords"
        actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
        resources = [local.table_arn]
      },
    ],
    var.self_managed_opt_outs ? [
      {
        sid       = "ManageOptOuts"
        actions   = ["sms-voice:PutOptedOutNumber", "sms-voice:DeleteOptedOutNumber"]
        resources = [local.opt_out_list_arn]
      },
    ] : [],
    # Replies are sent in self-managed mode only (AWS answers them otherwise).
    var.self_managed_opt_outs ? var.send_policy_statements : [],
    local.webhook_secret_arn == null ? [] : [{
      sid       = "ReadWebhookSecret"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [local.webhook_secret_arn]
    }],
    local.webhook_secret_kms_key == null ? [] : [{
      sid       = "WebhookSecretKey"
      actions   = ["kms:Decrypt"]
      resources = [local.webhook_secret_kms_key]
      condition = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }]
    }],
    var.events_stream_name == null ? [] : [{
      sid       = "PutInboundEvents"
      actions   = ["firehose:PutRecord"]
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
