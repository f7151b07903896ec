module "event_export" {
  source = "./modules/event_export"
  count  = var.event_export.enabled ? 1 : 0

  name = var.name
  tags = var.tags
  bucket = merge(var.event_export.bucket, {
    encryption = merge(var.event_export.bucket.encryption, {
      kms_key_arn = try(coalesce(var.event_export.bucket.encryption.kms_key_arn, var.kms_key_arn), null)
    })
  })
  delivery = merge(var.event_export.delivery, {
    log_retention_days = var.functions.log_retention_days
  })
  glue = var.event_export.glue
  aep_forwarding = merge(var.event_export.aep_forwarding, {
    package      = { filename = local.packages.event_forwarder }
    architecture = var.functions.architecture
  })
}
