# LEGACY: send through Amazon Pinpoint's v1 SendMessages API. Pinpoint's
# engagement features ended on 2026-10-30; SMS continues as AWS End User
# Messaging, which is the default (sms.api = "v2"). Use this only while a
# Pinpoint project still owns your numbers, and plan the move to v2.

provider "aws" {
  region = var.region
}

module "ajo_sms" {
  source = "../.."

  name = var.name
  sms = {
    api             = "v1"
    legacy_pinpoint = { sender_id = var.sender_id }
  }
  # v1 has no configuration-set event destination (Pinpoint event streams are
  # discontinued), so there is nothing to export.
  event_export = { enabled = false }
  # Queued delivery paces sends at the channel's throughput.
  delivery = { mps = var.mps }
}
