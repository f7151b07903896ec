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
  }
  use_legacy_v1 = var.sms.api == "v1"
  # Known at plan time, unlike the identity itself when it is a number
  # requested in the same apply.
  has_default_identity = (
    var.sms.default_origination_identity != null
    || length(var.sms.phone_numbers) > 0
    || length(flatten(values(var.sms.origination_identities))) > 0
  )
}
