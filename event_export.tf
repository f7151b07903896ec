# Delivery events (modules/event_export): Firehose to S3, the optional Glue
# table, AEP forwarding and AJO delivery feedback, under the root's one KMS
# key and log retention.

module "event_export" {
  source = "./modules/event_export"
  count  = var.event_export.enabled ? 1 : 0

  name                      = var.name
  tags                      = var.tags
  kms_key_arn               = var.kms_key_arn
  tracing_mode              = var.functions.tracing_mode
  role_path                 = var.iam.role_path
  role_permissions_boundary = var.iam.role_permissions_boundary

  # The one key covers an SSE-KMS bucket; an SSE-S3 one takes no key.
  bucket = merge(var.event_export.bucket, {
    encryption = merge(var.event_export.bucket.encryption, {
      kms_key_arn = (var.event_export.bucket.encryption.type == "SSE-KMS"
        ? try(coalesce(var.event_export.bucket.encryption.kms_key_arn, var.kms_key_arn), null)
        : var.event_export.bucket.encryption.kms_key_arn
      )
    })
  })
  delivery = merge(var.event_export.delivery, {
    log_retention_days = coalesce(var.event_export.delivery.log_retention_days, var.functions.log_retention_days)
  })
  glue                 = var.event_export.glue
  event_types          = coalesce(var.sms.event_types, module.messaging.default_event_types)
  ajo_feedback_webhook = var.event_export.ajo_feedback_webhook
  aep_forwarding = merge(var.event_export.aep_forwarding, {
    package            = { filename = local.packages.event_forwarder }
    architecture       = var.functions.architecture
    log_retention_days = coalesce(var.event_export.aep_forwarding.log_retention_days, var.functions.log_retention_days)
    # The secret the module creates takes the one key; an existing secret's
    # key is whatever the caller names.
    secret_kms_key_arn = (var.event_export.aep_forwarding.secret_arn == null
      ? try(coalesce(var.event_export.aep_forwarding.secret_kms_key_arn, var.kms_key_arn), null)
      : var.event_export.aep_forwarding.secret_kms_key_arn
    )
  })

  # WhatsApp events (whatsapp.tf's topic) get a stream and a prefix of their own.
  whatsapp_events = local.whatsapp
}
