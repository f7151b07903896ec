# Composes the product: two functions behind a REST API, the End User
# Messaging SMS resources they send through, and the delivery-event export.

data "aws_region" "current" {}

locals {
  # Zips built by `make build` ship with the module (dist/ is committed and
  # checked fresh in CI), so registry consumers need no build step.
  packages = {
    sms_send        = coalesce(var.functions.packages.sms_send, "${path.module}/dist/sms_send.zip")
    authorizer      = coalesce(var.functions.packages.authorizer, "${path.module}/dist/authorizer.zip")
    event_forwarder = coalesce(var.functions.packages.event_forwarder, "${path.module}/dist/event_forwarder.zip")
    sms_inbound     = coalesce(var.functions.packages.sms_inbound, "${path.module}/dist/sms_inbound.zip")
  }
  use_legacy_v1 = var.sms.api == "v1"
  # Retention periods CloudWatch Logs accepts (0: never expire), for validation.
  log_retention_values = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
  # Known at plan time, unlike the identity itself when it is a number
  # requested in the same apply.
  has_default_identity = (
    var.sms.default_origination_identity != null
    || length(var.sms.phone_numbers) > 0
    || length(flatten(values(var.sms.origination_identities))) > 0
  )
}
