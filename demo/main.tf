# The root `make demo` applies to a local moto server (scripts/demo.py).
#
# moto serves IAM, Lambda, API Gateway, DynamoDB, Secrets Manager, KMS,
# Firehose, S3 and CloudWatch Logs, but not End User Messaging SMS
# (pinpoint-sms-voice-v2). So this root uses the module's existing-resource
# mode for those: an existing pool, configuration set and opt-out list, and
# no event destination on the set, and two-way SMS on the topic alone (no
# number to attach it to). Everything else is what users deploy.

provider "aws" {
  region = "us-east-1"
  # Local run only: with an account ID the provider reads bucket tags through
  # S3 Control, whose SDK client prefixes the account to the endpoint's host
  # (123456789012.127.0.0.1), which cannot resolve. Without one it reads them
  # with GetBucketTagging. Credential validation would look the account up
  # too. The module itself asks STS explicitly (aws_caller_identity).
  skip_requesting_account_id  = true
  skip_credentials_validation = true
}

module "ajo_sms" {
  source = "../"

  name = "ajo-sms-demo"
  sms = {
    configuration_set      = { create = false, name = "ajo-sms-demo" }
    opt_out_list           = { create = false, name = "default" }
    origination_identities = { pool_arns = ["arn:aws:sms-voice:us-east-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef"] }
  }
  delivery = { mps = 3 }                     # queued delivery (the default) at a toll-free number's pace
  api_key  = { recovery_window_in_days = 0 } # the demo destroys everything it made
  event_export = {
    attach_to_configuration_set = false
    bucket                      = { force_destroy = true }
  }
  # MMS (media in a bucket the module creates), voice and WhatsApp (a made-up
  # phone number ID; its events topic subscribed to the export) through the
  # same endpoint.
  channels = {
    mms      = { media_bucket = { force_destroy = true } }
    voice    = {}
    whatsapp = { phone_number_ids = ["phone-number-id-0123456789abcdef0123456789abcdef"] }
  }
  # Two-way SMS with the function answering STOP/HELP: the e2e test publishes an
  # inbound STOP to the topic (numbers are attached with two_way.attach_command).
  two_way = {
    enabled               = true
    self_managed_opt_outs = true
    ajo_inbound_webhook   = { url = "https://ajo-webhooks.example.com/sms/inbound" } # AJO generates it
  }
}
