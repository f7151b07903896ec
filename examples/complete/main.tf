# Every option on: a customer-managed KMS key, existing identities plus a
# requested simulator number, MMS, voice and WhatsApp, idempotency with
# point-in-time recovery, a locked-down API (source CIDRs, WAF, custom
# domain, X-Ray), delivery events with dynamic partitioning, a Glue table,
# forwarding to Adobe Experience Platform and delivery feedback to AJO's SMS
# channel, queued delivery with every pacing setting, and two-way SMS with
# self-managed opt-outs.

provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

module "ajo_sms" {
  source = "../.."

  name        = var.name
  tags        = { project = "ajo-sms", environment = "production" }
  kms_key_arn = aws_kms_key.this.arn

  auth_header_name = "x-ajo-api-key"
  api_key          = { recovery_window_in_days = 30 }
  idempotency      = { point_in_time_recovery = true, deletion_protection = true }

  sms = {
    default_country      = "GB"
    default_message_type = "TRANSACTIONAL"
    configuration_set    = { name = "${var.name}-transactional" }
    origination_identities = {
      pool_arns      = [var.pool_arn]
      sender_id_arns = [var.sender_id_arn]
    }
    phone_numbers = {
      simulator = { iso_country_code = "US", number_type = "SIMULATOR" }
    }
    default_origination_identity = var.pool_arn
  }

  # MMS (media in a bucket the module creates; they expire after a year),
  # voice and WhatsApp (the WABA's number linked in the End User Messaging
  # Social console), through the same endpoint.
  channels = {
    mms      = { media_bucket = { expiration_days = 365 } }
    voice    = { default_voice_id = "AMY" }
    whatsapp = { phone_number_ids = [var.whatsapp_phone_number_id] }
  }

  api = {
    path       = "messages"
    stage_name = "prod"
    # Throttling stays at its default, AJO's 200 calls/s floor: below it AJO's
    # calls get 429 and, after 3 retries, are lost. Pacing to the pool's MPS
    # is queued delivery's job (docs/DELIVERY.md), not the API throttle's.
    xray_tracing_enabled = true
    allowed_source_cidrs = var.ajo_egress_cidrs
    waf_web_acl_arn      = var.waf_web_acl_arn
    # Also disables the default execute-api endpoint: only the domain answers.
    custom_domain = {
      domain_name     = var.domain_name
      certificate_arn = var.certificate_arn
    }
  }

  functions = {
    architecture = "arm64"
    tracing_mode = "Active"
    send         = { memory_size = 512, timeout = 15, reserved_concurrency = 50 }
  }

  # The pool sends 20 parts/s; 2 are left for direct sends (OTPs that set
  # "delivery": "direct"), 18 shared by the queues, 4 of them kept for
  # TRANSACTIONAL. A 500,000-part journey drains in 7.7 h, within 8 h.
  delivery = {
    mode                  = "queued"
    mps                   = 18
    validity_seconds      = 28800
    max_attempts          = 8
    promotional_reserve   = 4
    batch_size            = 5
    maximum_concurrency   = 4
    expected_journey_size = 500000
  }

  event_export = {
    bucket = {
      versioning      = true
      expiration_days = 730
      # The key above is created in the same apply: say so, its ARN is unknown at plan.
      encryption = { create_kms_key = false }
    }
    delivery = { dynamic_partitioning = true, buffering_interval = 60 }
    glue     = { enabled = true }
    aep_forwarding = {
      enabled    = true
      inlet_url  = var.aep_inlet_url
      ims_org_id = var.aep_ims_org_id
      dataset_id = var.aep_dataset_id
      schema_id  = var.aep_schema_id
    }
    # AJO's SMS channel (custom provider): delivery statuses to its feedback webhook.
    ajo_feedback_webhook = {
      url        = var.ajo_feedback_webhook_url
      secret_arn = var.ajo_webhook_secret_arn
    }
  }

  # Replies reach the requested number; the inbound function answers
  # STOP/START/HELP itself (self-managed), keeps the opt-out list, and
  # forwards every message to AJO's inbound webhook and the event export.
  two_way = {
    enabled               = true
    self_managed_opt_outs = true
    keywords              = { custom = ["YES", "NO"] }
    replies = {
      help = "ACME alerts: reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply."
    }
    ajo_inbound_webhook = {
      url        = var.ajo_inbound_webhook_url
      secret_arn = var.ajo_webhook_secret_arn
    }
    function = { memory_size = 512, reserved_concurrency = 10 }
    queue    = { max_receive_count = 8, batch_size = 5, maximum_concurrency = 4 }
  }
}
