module "send_function" {
  source = "./modules/function"

  name                 = "${var.name}-sms-send"
  description          = "Sends one SMS per AJO custom-action call (End User Messaging SMS ${var.sms.api})"
  package              = { filename = local.packages.sms_send }
  runtime              = var.functions.runtime
  architecture         = var.functions.architecture
  memory_size          = var.functions.send.memory_size
  timeout              = var.functions.send.timeout
  reserved_concurrency = var.functions.send.reserved_concurrency
  tracing_mode         = var.functions.tracing_mode
  log_retention_days   = var.functions.log_retention_days
  kms_key_arn          = var.kms_key_arn
  tags                 = var.tags

  role_path                 = var.iam.role_path
  role_permissions_boundary = var.iam.role_permissions_boundary

  # CONTRACT.md section 2; unset optional variables disable their feature.
  # Each key depends only on inputs, so the plan shows every key even when a
  # value (an ARN, an application ID) is known only after apply.
  environment = merge(
    {
      SMS_API              = var.sms.api
      DEFAULT_COUNTRY      = var.sms.default_country
      DEFAULT_MESSAGE_TYPE = var.sms.default_message_type
      UNKNOWN_OUTCOME      = var.functions.send.unknown_outcome
    },
    local.use_legacy_v1 ? { PINPOINT_APPLICATION_ID = module.messaging.pinpoint_application_id } : { CONFIGURATION_SET_NAME = module.messaging.configuration_set_name },
    local.has_default_identity ? { DEFAULT_ORIGINATION_IDENTITY = module.messaging.origination_identity } : {},
    var.idempotency.enabled ? { IDEMPOTENCY_TABLE = aws_dynamodb_table.idempotency[0].name } : {},
    { DEFAULT_DELIVERY = var.delivery.mode, METRICS_NAMESPACE = var.operations.metrics_namespace },
    local.delivery_queues ? module.delivery[0].send_environment : {},
    local.channel_environment,
  )

  policy_statements = concat(
    module.messaging.send_policy_statements,
    local.channel_policy_statements,
    var.idempotency.enabled ? [{
      sid       = "IdempotencyRecords"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
      resources = [aws_dynamodb_table.idempotency[0].arn]
    }] : [],
    var.idempotency.enabled && var.kms_key_arn != null ? [{
      sid       = "IdempotencyTableKey"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
      resources = [var.kms_key_arn]
      condition = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${data.aws_region.current.region}.amazonaws.com"]
      }]
    }] : [],
    # A for over the module's instances: its statements' types differ (some
    # have conditions), which a conditional could not unify with [].
    flatten([for delivery in module.delivery : delivery.send_policy_statements]),
  )
}

module "authorizer_function" {
  source = "./modules/function"

  name                 = "${var.name}-authorizer"
  description          = "Checks the API key AJO sends in ${var.auth_header_name}"
  package              = { filename = local.packages.authorizer }
  runtime              = var.functions.runtime
  architecture         = var.functions.architecture
  memory_size          = var.functions.authorizer.memory_size
  timeout              = var.functions.authorizer.timeout
  reserved_concurrency = var.functions.authorizer.reserved_concurrency
  tracing_mode         = var.functions.tracing_mode
  log_retention_days   = var.functions.log_retention_days
  kms_key_arn          = var.kms_key_arn
  tags                 = var.tags

  role_path                 = var.iam.role_path
  role_permissions_boundary = var.iam.role_permissions_boundary

  environment = {
    API_KEY_SECRET_ARN        = local.api_key_secret_arn
    API_KEY_CACHE_TTL_SECONDS = tostring(var.functions.authorizer.key_cache_seconds)
    API_KEY_ACCEPT_PREVIOUS   = tostring(var.api_key.accept_previous)
  }

  policy_statements = concat(
    [{
      sid       = "ReadApiKey"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [local.api_key_secret_arn]
    }],
    local.api_key_kms_key_arn != null ? [{
      sid       = "DecryptApiKey"
      actions   = ["kms:Decrypt"]
      resources = [local.api_key_kms_key_arn]
      condition = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${data.aws_region.current.region}.amazonaws.com"]
      }]
    }] : [],
  )
}
