# Paced delivery (modules/delivery, docs/DELIVERY.md): queues, DLQ, state
# table and the dispatcher, built whenever `delivery.mps` is set.

locals {
  delivery_queues = var.delivery.mps != null
}

module "delivery" {
  source = "./modules/delivery"
  count  = local.delivery_queues ? 1 : 0

  name        = var.name
  tags        = var.tags
  kms_key_arn = var.kms_key_arn
  package     = { filename = local.packages.sms_send }

  # Whole, so a field both types declare cannot be left out here
  # (tests/root/test_interface.py); the root's own `mode` is dropped by the
  # conversion to the module's type.
  delivery = var.delivery

  function = {
    runtime                   = var.functions.runtime
    architecture              = var.functions.architecture
    tracing_mode              = var.functions.tracing_mode
    log_retention_days        = var.functions.log_retention_days
    role_path                 = var.iam.role_path
    role_permissions_boundary = var.iam.role_permissions_boundary
  }

  # The dispatcher sends the way the send function does, under the same
  # unknown-outcome policy.
  sms_environment = merge(
    { SMS_API = var.sms.api, UNKNOWN_OUTCOME = var.functions.send.unknown_outcome },
    local.use_legacy_v1 ? { PINPOINT_APPLICATION_ID = module.messaging.pinpoint_application_id } : { CONFIGURATION_SET_NAME = module.messaging.configuration_set_name },
    local.has_default_identity ? { DEFAULT_ORIGINATION_IDENTITY = module.messaging.origination_identity } : {},
    local.channel_environment,
  )
  send_policy_statements = concat(module.messaging.send_policy_statements, local.channel_policy_statements)
  events_stream_name     = var.event_export.enabled ? module.event_export[0].firehose_stream_name : null
  metrics_namespace      = var.operations.metrics_namespace
}
