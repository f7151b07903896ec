# The event forwarder (functions/event_forwarder): Firehose cannot post into
# AEP's streaming inlet (bearer token, non-Firehose responses) nor AJO's
# feedback webhook, so every new events object is announced S3 -> SQS and
# read by one function with up to two targets, each with its own per-object
# checkpoints (README: why not a Firehose HTTP endpoint destination):
# - AEP (aep_forwarding.enabled): events AEP refused, or may have stored
#   without saying so, are kept under aep-forwarder/rejected/ and
#   aep-forwarder/unknown/ (functions/event_forwarder/README.md);
# - the AJO feedback webhook (ajo_feedback_webhook): delivery statuses for
#   AJO's SMS channel, state under ajo-feedback/.
# The resources keep their aep_* addresses and names from when AEP was the
# only target, so a deployed forwarder is updated in place, not replaced.
locals {
  aep               = var.aep_forwarding
  aep_enabled       = var.aep_forwarding.enabled
  feedback          = var.ajo_feedback_webhook
  feedback_enabled  = var.ajo_feedback_webhook != null
  forwarder_enabled = local.aep_enabled || local.feedback_enabled
  aep_function      = "${var.name}-aep-forwarder"
  aep_queue_arn     = "arn:${local.partition}:sqs:${local.region}:${local.account_id}:${local.aep_function}"
  aep_create_secret = local.aep_enabled && var.aep_forwarding.secret_arn == null
  aep_secret_arn = (!local.aep_enabled ? null :
    local.aep_create_secret ? aws_secretsmanager_secret.aep[0].arn : var.aep_forwarding.secret_arn
  )
  feedback_secret_arn = try(local.feedback.secret_arn, null)
  # aws_s3_bucket_notification replaces a bucket's whole notification
  # configuration: only on our own bucket, or on request for an existing one.
  aep_manage_notification = local.forwarder_enabled && (var.bucket.create || var.aep_forwarding.manage_bucket_notification)

  # Shared by both targets.
  forwarder_environment = {
    BATCH_MAX_EVENTS = tostring(local.aep.batch_max_events)
    MAX_ATTEMPTS     = tostring(local.aep.max_attempts)
    EVENTS_PREFIX    = var.delivery.prefix
  }

  # Only with AEP on: the function refuses AEP settings without an inlet.
  aep_environment = !local.aep_enabled ? {} : { for k, v in {
    AEP_INLET_URL           = local.aep.inlet_url
    AEP_INLET_ALLOWED_HOST  = local.aep.inlet_allowed_host
    AEP_SECRET_ARN          = local.aep_secret_arn
    AEP_IMS_ORG_ID          = local.aep.ims_org_id
    AEP_SANDBOX_NAME        = local.aep.sandbox_name
    AEP_DATASET_ID          = local.aep.dataset_id
    AEP_SCHEMA_ID           = local.aep.schema_id
    AEP_SCHEMA_CONTENT_TYPE = local.aep.schema_content_type
    AEP_SOURCE_NAME         = local.aep.source_name
    AEP_FLOW_ID             = local.aep.flow_id
    XDM_TEMPLATE            = local.aep.xdm_template
    CHECKPOINT_PREFIX       = local.checkpoint_prefix
    REJECTED_PREFIX         = local.rejected_prefix
    UNKNOWN_PREFIX          = "${local.forwarder_prefix}unknown/"
  } : k => v if v != null }

  feedback_environment = !local.feedback_enabled ? {} : { for k, v in {
    AJO_FEEDBACK_WEBHOOK_URL        = local.feedback.url
    AJO_FEEDBACK_WEBHOOK_SECRET_ARN = local.feedback.secret_arn
    AJO_FEEDBACK_WEBHOOK_HEADER     = local.feedback.header_name
    CLIENT_REFERENCE_KEY            = local.feedback.client_reference_key
  } : k => v if v != null }
}

# --- Queue and dead-letter queue -------------------------------------------

# The forwarder's queue of S3 notifications and its DLQ (modules/queue): only
# this bucket, in this account, may send. A backlog (or a redrive) must not
# open more AEP connections than intended: the mapping's maximum concurrency
# bounds them.
module "forwarder_queue" {
  source = "../queue"
  count  = local.forwarder_enabled ? 1 : 0

  queues                 = { notifications = local.aep_function }
  dead_letter_queue_name = "${local.aep_function}-dlq"
  max_receive_count      = local.aep.max_receive_count
  consumer = {
    function_arn        = module.aep_function[0].function_arn
    timeout             = local.aep.timeout
    batch_size          = local.aep.sqs_batch_size
    maximum_concurrency = local.aep.sqs_maximum_concurrency
  }
  publisher = {
    sid            = "S3ObjectCreated"
    service        = "s3.amazonaws.com"
    source_arn     = local.bucket_arn
    source_account = local.account_id
  }
  kms_key_arn = var.kms_key_arn
  tags        = local.tags
}

# Only the forwarder's queue may name this DLQ as its own.
resource "aws_sqs_queue_redrive_allow_policy" "aep_dlq" {
  count = local.forwarder_enabled ? 1 : 0

  queue_url = module.forwarder_queue[0].dead_letter_queue.url
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [module.forwarder_queue[0].arns.notifications]
  })
}

# These lived here before modules/queue: moved, not replaced, on upgrade.
moved {
  from = aws_sqs_queue.aep_dlq[0]
  to   = module.forwarder_queue[0].aws_sqs_queue.dlq
}
moved {
  from = aws_sqs_queue.aep[0]
  to   = module.forwarder_queue[0].aws_sqs_queue.this["notifications"]
}
moved {
  from = aws_sqs_queue_policy.aep[0]
  to   = module.forwarder_queue[0].aws_sqs_queue_policy.this["notifications"]
}
moved {
  from = aws_lambda_event_source_mapping.aep[0]
  to   = module.forwarder_queue[0].aws_lambda_event_source_mapping.this["notifications"]
}

resource "aws_s3_bucket_notification" "aep" {
  count = local.aep_manage_notification ? 1 : 0

  bucket = local.bucket_name
  queue {
    queue_arn     = module.forwarder_queue[0].arns.notifications
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = var.delivery.prefix
  }

  # S3 sends a test message on creation: the queue must already accept it.
  depends_on = [module.bucket, module.forwarder_queue]
}

# --- Credentials -----------------------------------------------------------

# Created empty when no secret is given: put {"client_id", "client_secret",
# "scope"} (OAuth server-to-server) or {"access_token"} in it after apply.
resource "aws_secretsmanager_secret" "aep" {
  #checkov:skip=CKV2_AWS_57: the AEP client credentials are issued and rotated in Adobe Developer Console; no AWS rotation function can rotate them
  #checkov:skip=CKV_AWS_149: encrypted with aep_forwarding.secret_kms_key_arn when given (the root module passes its kms_key_arn; the function is granted it), else with the aws/secretsmanager key
  count = local.aep_create_secret ? 1 : 0

  name_prefix = "${local.aep_function}-"
  description = "Adobe Experience Platform credentials for ${local.aep_function} (JSON; see modules/event_export README)"
  kms_key_id  = local.aep.secret_kms_key_arn
  tags        = local.tags
}

# --- Function (modules/function: role, log group, packaged Lambda) ----------

module "aep_function" {
  source = "../function"
  count  = local.forwarder_enabled ? 1 : 0

  name               = local.aep_function
  description        = "Forwards SMS delivery events from S3 to ${join(" and ", compact([local.aep_enabled ? "Adobe Experience Platform" : "", local.feedback_enabled ? "the AJO feedback webhook" : ""]))}"
  package            = { filename = local.aep.package.filename }
  architecture       = local.aep.architecture
  memory_size        = local.aep.memory_size
  timeout            = local.aep.timeout
  log_retention_days = local.aep.log_retention_days
  environment        = merge(local.forwarder_environment, local.aep_environment, local.feedback_environment)
  policy_statements  = local.aep_policy_statements
  tags               = local.tags
  # The key also encrypts the queues: the role's kms:Decrypt on it (granted
  # with the encrypted environment) lets the event source mapping read them.
  kms_key_arn               = var.kms_key_arn
  tracing_mode              = var.tracing_mode
  role_path                 = var.role_path
  role_permissions_boundary = var.role_permissions_boundary
}

locals {
  # Beyond its own logs (modules/function): the queue, the events (read), each
  # target's own state prefix (read/write) and credentials, the bucket key
  # and the secrets' keys through their services only.
  aep_policy_statements = concat(
    [
      {
        sid = "ConsumeQueue"
        actions = [
          "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
          "sqs:ChangeMessageVisibility",
        ]
        resources = [local.aep_queue_arn]
      },
      {
        sid       = "ReadEvents"
        actions   = ["s3:GetObject"]
        resources = ["${local.bucket_arn}/${var.delivery.prefix}*"]
      },
    ],
    local.aep_enabled ? [
      {
        # AEP's checkpoints (progress per object) and rejected events.
        sid       = "ForwarderState"
        actions   = ["s3:GetObject", "s3:PutObject"]
        resources = ["${local.bucket_arn}/${local.forwarder_prefix}*"]
      },
      {
        sid       = "ReadCredentials"
        actions   = ["secretsmanager:GetSecretValue"]
        resources = [local.aep_secret_arn]
      },
    ] : [],
    local.feedback_enabled ? [{
      # The feedback target's checkpoints and rejected events.
      sid       = "FeedbackState"
      actions   = ["s3:GetObject", "s3:PutObject"]
      resources = ["${local.bucket_arn}/${local.feedback_prefix}*"]
    }] : [],
    local.feedback_secret_arn == null ? [] : [{
      sid       = "ReadFeedbackWebhookSecret"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [local.feedback_secret_arn]
    }],
    local.uses_kms ? [{
      sid       = "BucketKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [local.kms_key_arn]
      condition = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }]
    }] : [],
    try(local.feedback.secret_kms_key_arn, null) == null ? [] : [{
      sid       = "FeedbackSecretKey"
      actions   = ["kms:Decrypt"]
      resources = [local.feedback.secret_kms_key_arn]
      condition = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }]
    }],
    local.aep_enabled && local.aep.secret_kms_key_arn != null ? [{
      sid       = "SecretKey"
      actions   = ["kms:Decrypt"]
      resources = [local.aep.secret_kms_key_arn]
      condition = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }]
    }] : [],
  )
}
