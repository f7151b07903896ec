variable "name" {
  description = "Prefix for every resource name (lowercase letters, digits, hyphens). No random suffixes: two deployments in one account need two names."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "tags" {
  description = "Tags applied to every resource that takes tags."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "auth_header_name" {
  description = "HTTP header in which AJO sends the API key (a Constant header field of the Custom Action)."
  type        = string
  default     = "x-api-key"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$", var.auth_header_name)) && !contains(["authorization", "content-type", "host", "content-length"], lower(var.auth_header_name))
    error_message = "auth_header_name must be an HTTP header token (letters, digits, hyphens; at most 63 characters) and not a reserved header such as Authorization, Content-Type or Host."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for every log group, the idempotency table, function environments, the API key secret, the event bucket and, with AEP forwarding, the forwarder's queues and the AEP secret the module creates. Null uses AWS-managed keys. Its key policy must admit CloudWatch Logs (logs.REGION.amazonaws.com) and, for AEP forwarding, S3 (it notifies the forwarder's queue): see examples/complete/kms.tf."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/UUID); aliases are not accepted by every service used here."
  }
}

variable "iam" {
  description = "Enterprise IAM guardrails for every role the module creates (function roles, the Firehose role, the SMS event destination role, the WhatsApp events subscription role, the opt-in API Gateway logging role): an IAM path and a permissions boundary policy."
  type = object({
    role_path                 = optional(string, "/")
    role_permissions_boundary = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(regex("^/([\\x21-\\x7E]{1,510}/)?$", var.iam.role_path))
    error_message = "iam.role_path must be \"/\" or an IAM path such as \"/ajo-sms/\" (starts and ends with '/', printable ASCII, at most 512 characters)."
  }
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(var.iam.role_permissions_boundary, "arn:aws:iam::aws:policy/x")))
    error_message = "iam.role_permissions_boundary must be an IAM policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)."
  }
}

variable "api_key" {
  description = <<-EOT
    The API key AJO presents. By default the module creates a Secrets Manager secret whose
    value is generated ephemerally and written write-only (never in plan or state). Bump
    `generation` to have Terraform write a fresh key; set `existing_secret_arn` to bring your own.
    The authorizer accepts the secret's AWSCURRENT and AWSPREVIOUS versions, so a rotation never
    locks AJO out; `accept_previous = false` accepts AWSCURRENT only, the one-step revocation of
    a leaked previous key (README: revoke a leaked key).
  EOT
  type = object({
    existing_secret_arn     = optional(string)
    kms_key_arn             = optional(string)
    recovery_window_in_days = optional(number, 7)
    generation              = optional(number, 1)
    accept_previous         = optional(bool, true)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.api_key.existing_secret_arn == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.api_key.existing_secret_arn))
    error_message = "api_key.existing_secret_arn must be a Secrets Manager secret ARN."
  }
  validation {
    condition     = var.api_key.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(var.api_key.kms_key_arn, "-")))
    error_message = "api_key.kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID): the authorizer's kms:Decrypt grant names it, so an alias or a bare key ID would not match."
  }
  validation {
    condition     = (var.api_key.recovery_window_in_days == 0 || (var.api_key.recovery_window_in_days >= 7 && var.api_key.recovery_window_in_days <= 30)) && floor(var.api_key.recovery_window_in_days) == var.api_key.recovery_window_in_days
    error_message = "api_key.recovery_window_in_days must be 0 (delete at once) or a whole number of days between 7 and 30."
  }
  validation {
    condition     = var.api_key.generation >= 1 && floor(var.api_key.generation) == var.api_key.generation
    error_message = "api_key.generation must be a whole number >= 1."
  }
}

variable "idempotency" {
  description = "DynamoDB idempotency records: a retried AJO call with the same idempotencyKey never sends a second SMS."
  type = object({
    enabled                = optional(bool, true)
    point_in_time_recovery = optional(bool, false)
    deletion_protection    = optional(bool, false)
  })
  default  = {}
  nullable = false
}

variable "sms" {
  description = <<-EOT
    How messages are sent. `api = "v2"` (default) sends through AWS End User Messaging SMS;
    `"v1"` is the LEGACY Pinpoint SendMessages path (Pinpoint engagement features ended on
    2026-10-30). Origination: existing identities by ARN (the common case: registrations take
    weeks) and/or phone numbers to request (SIMULATOR numbers send nothing to a real phone).
    `default_country` resolves national-format numbers. See modules/messaging for each field.
  EOT
  type = object({
    api                  = optional(string, "v2")
    default_country      = optional(string, "US")
    default_message_type = optional(string, "TRANSACTIONAL")
    configuration_set = optional(object({
      create            = optional(bool, true)
      name              = optional(string)
      default_sender_id = optional(string)
    }), {})
    opt_out_list = optional(object({
      create = optional(bool, true)
      name   = optional(string)
    }), {})
    origination_identities = optional(object({
      phone_number_arns = optional(list(string), [])
      sender_id_arns    = optional(list(string), [])
      pool_arns         = optional(list(string), [])
    }), {})
    phone_numbers = optional(map(object({
      iso_country_code              = string
      number_type                   = string
      message_type                  = optional(string, "TRANSACTIONAL")
      number_capabilities           = optional(list(string), ["SMS"])
      deletion_protection_enabled   = optional(bool)
      self_managed_opt_outs_enabled = optional(bool, false)
      registration_id               = optional(string)
    })), {})
    default_origination_identity = optional(string)
    event_types                  = optional(list(string))
    legacy_pinpoint = optional(object({
      sender_id  = optional(string)
      short_code = optional(string)
    }), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["v2", "v1"], var.sms.api)
    error_message = "sms.api must be \"v2\" (End User Messaging SMS, default) or \"v1\" (legacy Pinpoint SendMessages)."
  }
  validation {
    condition     = can(regex("^[A-Z]{2}$", var.sms.default_country))
    error_message = "sms.default_country must be an ISO 3166-1 alpha-2 code in upper case, such as US or GB."
  }
  validation {
    condition     = contains(["TRANSACTIONAL", "PROMOTIONAL"], var.sms.default_message_type)
    error_message = "sms.default_message_type must be TRANSACTIONAL or PROMOTIONAL."
  }
}

variable "channels" {
  description = <<-EOT
    Channels the endpoint sends besides SMS, each opt-in (request field `channel`,
    docs/CONTRACT.md); all need `sms.api = "v2"`.
    `mms`: SendMediaMessage of S3 media (`s3://BUCKET/KEY`) in one bucket the sending
    roles may read: created here (default: private, TLS-only, SSE-S3, kept unless
    `expiration_days`) or `existing_arn` (plus `kms_key_arn` if SSE-KMS), in the
    origination identities' account and region. `voice`: SendVoiceMessage,
    `default_voice_id` when a request names none. Their identities need the `MMS` /
    `VOICE` capability.
    `whatsapp`: End User Messaging Social SendWhatsAppMessage from `phone_number_ids`
    (`phone-number-id-` + 32 hex; the first is the default), Meta's `meta_api_version`,
    `mps` per number for queued delivery (Meta's default 80). Set output
    `whatsapp_event_topic_arn` as the WABA's event destination (README).
  EOT
  type = object({
    mms = optional(object({
      media_bucket = optional(object({
        create          = optional(bool, true)
        name            = optional(string)
        existing_arn    = optional(string)
        kms_key_arn     = optional(string)
        force_destroy   = optional(bool, false)
        expiration_days = optional(number, 0)
      }), {})
    }))
    voice = optional(object({
      default_voice_id = optional(string, "MATTHEW")
    }))
    whatsapp = optional(object({
      phone_number_ids = list(string)
      meta_api_version = optional(string, "v20.0")
      mps              = optional(number, 80)
    }))
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.sms.api == "v2" || (var.channels.mms == null && var.channels.voice == null && var.channels.whatsapp == null)
    error_message = "channels.mms, channels.voice and channels.whatsapp need sms.api = \"v2\" (Pinpoint v1 sends SMS only)."
  }
  validation {
    condition     = try(var.channels.mms.media_bucket.create, true) || can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.channels.mms.media_bucket.existing_arn))
    error_message = "channels.mms.media_bucket.existing_arn must be an S3 bucket ARN (arn:aws:s3:::NAME) when media_bucket.create is false."
  }
  validation {
    condition     = !try(var.channels.mms.media_bucket.create, false) || try(var.channels.mms.media_bucket.existing_arn, null) == null && try(var.channels.mms.media_bucket.kms_key_arn, null) == null
    error_message = "channels.mms.media_bucket: existing_arn and kms_key_arn are for an existing bucket (create = false); a created bucket is SSE-S3."
  }
  validation {
    condition     = try(var.channels.mms.media_bucket.name, null) == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.channels.mms.media_bucket.name))
    error_message = "channels.mms.media_bucket.name must be a valid S3 bucket name (3-63 lower-case letters, digits, '.' or '-')."
  }
  validation {
    condition     = try(var.channels.mms.media_bucket.kms_key_arn, null) == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", var.channels.mms.media_bucket.kms_key_arn))
    error_message = "channels.mms.media_bucket.kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
  }
  validation {
    condition     = try(var.channels.mms.media_bucket.expiration_days >= 0 && floor(var.channels.mms.media_bucket.expiration_days) == var.channels.mms.media_bucket.expiration_days, true)
    error_message = "channels.mms.media_bucket.expiration_days must be a whole number of days (0 keeps media forever)."
  }
  validation {
    # The VoiceId enum of botocore's pinpoint-sms-voice-v2 model.
    condition     = var.channels.voice == null || contains(local.voice_ids, try(var.channels.voice.default_voice_id, ""))
    error_message = "channels.voice.default_voice_id must be one of ${join(", ", local.voice_ids)}."
  }
  # Each rule holds when channels.whatsapp is null (try's fallback, or the left of ||:
  # Terraform evaluates both sides, so the right one must not fail on a null).
  validation {
    condition     = var.channels.whatsapp == null || try(length(var.channels.whatsapp.phone_number_ids) > 0, false)
    error_message = "channels.whatsapp.phone_number_ids must name at least one phone number ID (the first is the default origination)."
  }
  validation {
    # AWS's format (botocore socialmessaging: "phone-number-id-01234567890123456789012345678901").
    condition     = alltrue([for id in try(var.channels.whatsapp.phone_number_ids, []) : can(regex("^phone-number-id-[0-9a-f]{32}$", id))])
    error_message = "channels.whatsapp.phone_number_ids must be End User Messaging Social phone number IDs, \"phone-number-id-\" and 32 lower-case hex characters (console: Phone numbers, Phone number ID), not Meta's numeric ID or the number itself."
  }
  validation {
    condition     = try(length(distinct(var.channels.whatsapp.phone_number_ids)) == length(var.channels.whatsapp.phone_number_ids), true)
    error_message = "channels.whatsapp.phone_number_ids must not repeat an ID."
  }
  validation {
    condition     = var.channels.whatsapp == null || can(regex("^v[0-9]+\\.[0-9]+$", var.channels.whatsapp.meta_api_version))
    error_message = "channels.whatsapp.meta_api_version must be a Meta Graph API version such as \"v20.0\" (v<major>.<minor>)."
  }
  validation {
    condition     = try(var.channels.whatsapp.mps >= 1 && var.channels.whatsapp.mps <= 1000 && floor(var.channels.whatsapp.mps) == var.channels.whatsapp.mps, true)
    error_message = "channels.whatsapp.mps must be a whole number of messages per second per phone number, 1-1000 (Meta's default is 80)."
  }
}

variable "api" {
  description = <<-EOT
    The HTTPS endpoint AJO calls. Throttling defaults match AJO's 200 calls/s throttling floor:
    keep the rate at 200 or more and pace sends to the SMS throughput with queued delivery,
    not with the API throttle (README: capacity). `allowed_source_cidrs` restricts callers
    (AJO's static-IP egress option); `custom_domain` also disables the default execute-api
    endpoint; `manage_account_cloudwatch_role` sets the account-wide API Gateway logging role
    and is off unless you opt in.
  EOT
  type = object({
    path                           = optional(string, "sms")
    stage_name                     = optional(string, "v1")
    throttling_rate_limit          = optional(number, 200)
    throttling_burst_limit         = optional(number, 400)
    authorizer_cache_ttl_seconds   = optional(number, 300)
    xray_tracing_enabled           = optional(bool, false)
    execution_logging_level        = optional(string, "OFF")
    log_retention_days             = optional(number, 30)
    allowed_source_cidrs           = optional(list(string), [])
    waf_web_acl_arn                = optional(string)
    manage_account_cloudwatch_role = optional(bool, false)
    custom_domain = optional(object({
      domain_name     = string
      certificate_arn = string
      base_path       = optional(string)
      security_policy = optional(string, "TLS_1_2")
    }))
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.api.throttling_rate_limit > 0 && var.api.throttling_burst_limit >= var.api.throttling_rate_limit
    error_message = "api.throttling_rate_limit must be positive and api.throttling_burst_limit at least the rate limit (a burst below the rate refuses steady traffic)."
  }
  validation {
    condition     = floor(var.api.throttling_burst_limit) == var.api.throttling_burst_limit
    error_message = "api.throttling_burst_limit must be a whole number of requests."
  }
  validation {
    condition     = var.api.authorizer_cache_ttl_seconds >= 0 && var.api.authorizer_cache_ttl_seconds <= 3600 && floor(var.api.authorizer_cache_ttl_seconds) == var.api.authorizer_cache_ttl_seconds
    error_message = "api.authorizer_cache_ttl_seconds must be a whole number of seconds between 0 (no cache) and 3600."
  }
  validation {
    condition     = contains(local.log_retention_values, var.api.log_retention_days)
    error_message = "api.log_retention_days must be a CloudWatch Logs retention value in days, one of ${join(", ", local.log_retention_values)} (0: never expire)."
  }
  validation {
    condition     = alltrue([for c in var.api.allowed_source_cidrs : can(cidrhost(c, 0)) && try(cidrsubnet(c, 0, 0) == c, false)])
    error_message = "api.allowed_source_cidrs must be CIDR blocks in network form with no host bits set, such as \"203.0.113.0/24\" (not \"203.0.113.7/24\")."
  }
  validation {
    condition     = alltrue([for c in var.api.allowed_source_cidrs : !contains(["0.0.0.0/0", "::/0"], try(cidrsubnet(c, 0, 0), c))])
    error_message = "api.allowed_source_cidrs must not contain 0.0.0.0/0 or ::/0: they allow every caller. Leave the list empty for no IP restriction."
  }
}

variable "functions" {
  description = <<-EOT
    Lambda settings. `packages` overrides the zips (default: the module's own dist/<name>.zip,
    built reproducibly by `make build` and shipped with the module). Reserved concurrency caps
    what the send function may take from the account (README: capacity). `send.unknown_outcome`
    decides whether an SMS whose outcome is unknown is sent again on AJO's retry
    (functions/sms_send/README.md: outcome unknown).
  EOT
  type = object({
    architecture       = optional(string, "arm64")
    runtime            = optional(string, "python3.13")
    log_retention_days = optional(number, 30)
    tracing_mode       = optional(string)
    packages = optional(object({
      sms_send        = optional(string)
      authorizer      = optional(string)
      event_forwarder = optional(string)
      sms_inbound     = optional(string)
    }), {})
    send = optional(object({
      memory_size          = optional(number, 256)
      timeout              = optional(number, 10)
      reserved_concurrency = optional(number)
      # What AJO's retry with the same idempotencyKey gets when the SMS API's answer to a
      # send was lost: at_most_once (nothing resent, 502 SEND_OUTCOME_UNKNOWN) or
      # at_least_once (sent again). README: "Outcome unknown".
      unknown_outcome = optional(string, "at_most_once")
    }), {})
    authorizer = optional(object({
      memory_size          = optional(number, 256)
      timeout              = optional(number, 5)
      reserved_concurrency = optional(number)
      key_cache_seconds    = optional(number, 300) # how soon a rotated key is seen
    }), {})
  })
  default  = {}
  nullable = false

  # functions.authorizer: a bad value here would otherwise surface only when
  # the authorizer starts (key_cache_seconds) or fails every request.
  validation {
    condition     = var.functions.authorizer.key_cache_seconds >= 0 && var.functions.authorizer.key_cache_seconds <= 3600 && floor(var.functions.authorizer.key_cache_seconds) == var.functions.authorizer.key_cache_seconds
    error_message = "functions.authorizer.key_cache_seconds must be a whole number of seconds between 0 (read the key on every call) and 3600."
  }
  validation {
    condition     = var.functions.authorizer.memory_size >= 128 && var.functions.authorizer.memory_size <= 10240 && floor(var.functions.authorizer.memory_size) == var.functions.authorizer.memory_size
    error_message = "functions.authorizer.memory_size must be a whole number of MB, 128-10240."
  }
  validation {
    condition     = var.functions.authorizer.timeout >= 3 && var.functions.authorizer.timeout <= 29 && floor(var.functions.authorizer.timeout) == var.functions.authorizer.timeout
    error_message = "functions.authorizer.timeout must be a whole number of seconds, 3-29: reading the key from a slow Secrets Manager takes up to 3 s, and API Gateway waits at most 29 s."
  }
  validation {
    condition     = var.functions.authorizer.reserved_concurrency == null || try(var.functions.authorizer.reserved_concurrency >= 1 && floor(var.functions.authorizer.reserved_concurrency) == var.functions.authorizer.reserved_concurrency, false)
    error_message = "functions.authorizer.reserved_concurrency must be null (unreserved) or a whole number >= 1 (0 would refuse every request)."
  }

  validation {
    condition     = contains(["arm64", "x86_64"], var.functions.architecture)
    error_message = "functions.architecture must be arm64 or x86_64."
  }
  validation {
    condition     = contains(["at_most_once", "at_least_once"], var.functions.send.unknown_outcome)
    error_message = "functions.send.unknown_outcome must be at_most_once (never resend an SMS whose outcome is unknown) or at_least_once (resend it on AJO's retry)."
  }
  validation {
    condition     = contains(local.log_retention_values, var.functions.log_retention_days)
    error_message = "functions.log_retention_days must be a CloudWatch Logs retention value in days, one of ${join(", ", local.log_retention_values)} (0: never expire)."
  }
  validation {
    condition     = contains(["Active", "PassThrough"], coalesce(var.functions.tracing_mode, "Active"))
    error_message = "functions.tracing_mode must be null (off), \"Active\" or \"PassThrough\"."
  }
  validation {
    condition     = var.functions.send.memory_size >= 128 && var.functions.send.memory_size <= 10240 && floor(var.functions.send.memory_size) == var.functions.send.memory_size
    error_message = "functions.send.memory_size must be a whole number of MB, 128-10240."
  }
  validation {
    condition     = var.functions.send.reserved_concurrency == null || try(var.functions.send.reserved_concurrency >= 0 && floor(var.functions.send.reserved_concurrency) == var.functions.send.reserved_concurrency, false)
    error_message = "functions.send.reserved_concurrency must be null (unreserved) or a whole number >= 0 (0 stops all sends)."
  }
  validation {
    condition     = var.functions.send.timeout >= 3 && var.functions.send.timeout <= 29
    error_message = "functions.send.timeout must be 3-29 seconds: API Gateway stops waiting at 29 s and AJO's journey timeout is at most 30 s."
  }
}

variable "event_export" {
  description = <<-EOT
    Delivery events: configuration-set event destination -> Firehose -> S3, with an optional
    Glue table for Athena, optional forwarding to Adobe Experience Platform and optional
    delivery feedback to AJO's SMS channel (`ajo_feedback_webhook`). See modules/event_export
    for every field.
  EOT
  type = object({
    enabled = optional(bool, true)
    # false: the configuration set's event destination is managed elsewhere
    # (an existing set that already has one); the pipeline is still built.
    attach_to_configuration_set = optional(bool, true)
    bucket = optional(object({
      create                     = optional(bool, true)
      name                       = optional(string)
      existing_arn               = optional(string)
      force_destroy              = optional(bool, false)
      versioning                 = optional(bool, false)
      expiration_days            = optional(number, 400)
      noncurrent_expiration_days = optional(number, 30)
      encryption = optional(object({
        type        = optional(string, "SSE-KMS")
        kms_key_arn = optional(string)
        # Set false when kms_key_arn (or the root kms_key_arn) comes from a
        # key created in the same apply: its ARN is unknown at plan time.
        create_kms_key = optional(bool)
      }), {})
    }), {})
    # Fields without a default here take modules/event_export's.
    delivery = optional(object({
      prefix               = optional(string)
      error_prefix         = optional(string)
      dynamic_partitioning = optional(bool, false)
      buffering_size       = optional(number)
      buffering_interval   = optional(number, 300)
      log_retention_days   = optional(number) # null: functions.log_retention_days
      firehose_kms_key_arn = optional(string)
    }), {})
    glue = optional(object({
      enabled               = optional(bool, false)
      create_database       = optional(bool)
      database_name         = optional(string)
      table_name            = optional(string)
      projection_start_year = optional(number)
    }), {})
    aep_forwarding = optional(object({
      enabled      = optional(bool, false)
      inlet_url    = optional(string)
      secret_arn   = optional(string)
      ims_org_id   = optional(string)
      sandbox_name = optional(string, "prod")
      dataset_id   = optional(string)
      schema_id    = optional(string)
      flow_id      = optional(string)
      xdm_template = optional(string)
      # null: kms_key_arn for the secret the module creates.
      secret_kms_key_arn         = optional(string)
      schema_content_type        = optional(string)
      source_name                = optional(string)
      batch_max_events           = optional(number)
      max_attempts               = optional(number)
      timeout                    = optional(number)
      memory_size                = optional(number)
      sqs_batch_size             = optional(number)
      max_receive_count          = optional(number)
      sqs_maximum_concurrency    = optional(number)
      inlet_allowed_host         = optional(string) # null: inlet_url must be on *.adobedc.net
      log_retention_days         = optional(number) # null: functions.log_retention_days
      manage_bucket_notification = optional(bool)
    }), {})
    # AJO's feedback webhook for the SMS channel (modules/event_export): the
    # forwarder posts each delivery status there; its URL comes from AJO.
    ajo_feedback_webhook = optional(object({
      url                  = string
      secret_arn           = optional(string)
      secret_kms_key_arn   = optional(string)
      header_name          = optional(string, "x-ajo-webhook-secret")
      client_reference_key = optional(string, "clientReference")
    }))
  })
  default  = {}
  nullable = false
}

variable "delivery" {
  description = <<-EOT
    Paced delivery (README: paced delivery). `mode` is what a request without a `delivery`
    field gets: `queued` (default; answer 202 QUEUED at once, send at `mps` message parts/s
    from SQS, nothing lost to AJO's 200 calls/s floor) or `direct` (send synchronously,
    200 SENT). `mps` (required when queued) is the share of the identities' MPS the
    dispatchers may use; set, it builds the queues even in direct mode so requests can ask
    for `delivery: "queued"`. See modules/delivery for the other fields.
  EOT
  type = object({
    mode                  = optional(string, "queued")
    mps                   = optional(number)
    validity_seconds      = optional(number, 14400)
    max_attempts          = optional(number, 5)
    promotional_reserve   = optional(number)
    batch_size            = optional(number, 10)
    maximum_concurrency   = optional(number, 2)
    expected_journey_size = optional(number)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["queued", "direct"], var.delivery.mode)
    error_message = "delivery.mode must be \"queued\" (default) or \"direct\"."
  }
  validation {
    condition     = var.delivery.mode != "queued" || var.delivery.mps != null
    error_message = "delivery.mps is required when delivery.mode is \"queued\": set it to the message parts per second of your origination identities (US toll-free 3, 10DLC 1 per number, short code 100), less what direct sends need."
  }
  validation {
    condition     = var.delivery.mps == null || try(var.delivery.mps >= 1 && var.delivery.mps <= 10000 && floor(var.delivery.mps) == var.delivery.mps, false)
    error_message = "delivery.mps must be a whole number of message parts per second, from 1 to 10000."
  }
  validation {
    condition     = var.delivery.validity_seconds >= 60 && var.delivery.validity_seconds <= 259200 && floor(var.delivery.validity_seconds) == var.delivery.validity_seconds
    error_message = "delivery.validity_seconds must be a whole number between 60 and 259200 (72 h, the SMS API's TimeToLive ceiling)."
  }
  validation {
    condition     = var.delivery.max_attempts >= 1 && var.delivery.max_attempts <= 100 && floor(var.delivery.max_attempts) == var.delivery.max_attempts
    error_message = "delivery.max_attempts must be a whole number between 1 and 100."
  }
  validation {
    condition     = var.delivery.promotional_reserve == null || try(var.delivery.promotional_reserve >= 0 && var.delivery.promotional_reserve < var.delivery.mps && floor(var.delivery.promotional_reserve) == var.delivery.promotional_reserve, false)
    error_message = "delivery.promotional_reserve must be null or a whole number from 0 to mps - 1 (at mps or above, promotional messages would never be sent)."
  }
  validation {
    condition     = var.delivery.batch_size >= 1 && var.delivery.batch_size <= 10 && floor(var.delivery.batch_size) == var.delivery.batch_size
    error_message = "delivery.batch_size must be a whole number between 1 and 10."
  }
  validation {
    condition     = var.delivery.maximum_concurrency >= 2 && var.delivery.maximum_concurrency <= 1000 && floor(var.delivery.maximum_concurrency) == var.delivery.maximum_concurrency
    error_message = "delivery.maximum_concurrency must be a whole number between 2 and 1000 (an SQS event source's limits)."
  }
}

variable "operations" {
  description = <<-EOT
    Alarms, dashboard and delivery reports (modules/operations; README there: what each alarm
    means and what to do). Every alarm is on by default and notifies a KMS-encrypted SNS topic
    the module creates (subscribe to it) or `alarms.topic_arn`; each has `enabled`, `threshold`,
    `evaluation_periods` and `period`. `alarms.sms_spend` needs `monthly_limit_usd`, the account's
    monthly SMS spend limit. `metrics_namespace` is where the functions publish their metrics
    (METRICS_NAMESPACE). With event_export.glue on, Athena named queries report delivery per
    journey (`journey_context_key` of the request's context) and country, and cost per day.
  EOT
  type = object({
    dashboard           = optional(bool, true)
    metrics_namespace   = optional(string, "AjoSms")
    athena_queries      = optional(bool, true)
    athena_workgroup    = optional(string, "primary")
    journey_context_key = optional(string, "journeyId")
    alarms = optional(object({
      topic_arn    = optional(string)
      create_topic = optional(bool, true)
      kms_key_arn  = optional(string)
      api_5xx_rate = optional(object({
        enabled            = optional(bool, true)
        threshold          = optional(number, 1)
        evaluation_periods = optional(number, 1)
        period             = optional(number, 300)
      }), {})
      api_latency_p99 = optional(object({
        enabled            = optional(bool, true)
        threshold          = optional(number, 600)
        evaluation_periods = optional(number, 3)
        period             = optional(number, 300)
      }), {})
      api_4xx_rate = optional(object({
        enabled            = optional(bool, true)
        threshold          = optional(number, 10)
        evaluation_periods = optional(number, 1)
        period             = optional(number, 300)
      }), {})
      function_errors = optional(object({
        enabled            = optional(bool, true)
        threshold          = optional(number, 0)
        evaluation_periods = optional(number, 1)
        period             = optional(number, 300)
      }), {})
      function_throttles = optional(object({
        enabled            = optional(bool, true)
        threshold          = optional(number, 0)
        evaluation_periods = optional(number, 1)
        period             = optional(number, 300)
      }), {})
      function_concurrency = optional(object({
        enabled            = optional(bool, true)
        threshold          = optional(number, 80)
        evaluation_periods = optional(number, 1)
        period             = optional(number, 60)
      }), {})
      dead_letter_queue = optional(object({
        enabled            = optional(bool, true)
        threshold          = optional(number, 0)
        evaluation_periods = optional(number, 1)
        period             = optional(number, 300)
      }), {})
      queue_age = optional(object({
        enabled            = optional(bool, true)
        threshold          = optional(number, 50)
        evaluation_periods = optional(number, 1)
        period             = optional(number, 300)
      }), {})
      queued_expired = optional(object({
        enabled            = optional(bool, true)
        threshold          = optional(number, 0)
        evaluation_periods = optional(number, 1)
        period             = optional(number, 300)
      }), {})
      firehose_delivery = optional(object({
        enabled            = optional(bool, true)
        threshold          = optional(number, 1)
        evaluation_periods = optional(number, 1)
        period             = optional(number, 300)
      }), {})
      firehose_freshness = optional(object({
        enabled            = optional(bool, true)
        threshold          = optional(number)
        evaluation_periods = optional(number, 1)
        period             = optional(number, 300)
      }), {})
      sms_spend = optional(object({
        enabled            = optional(bool, true)
        monthly_limit_usd  = optional(number)
        threshold          = optional(number, 80)
        evaluation_periods = optional(number, 1)
        period             = optional(number, 300)
      }), {})
      sms_delivery_failure_rate = optional(object({
        enabled            = optional(bool, true)
        threshold          = optional(number, 25)
        evaluation_periods = optional(number, 1)
        period             = optional(number, 3600)
      }), {})
    }), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.operations.metrics_namespace)) && !startswith(var.operations.metrics_namespace, "AWS/")
    error_message = "operations.metrics_namespace must be 1-255 characters of letters, digits and . _ / # : - and must not start with \"AWS/\" (reserved for AWS services)."
  }
  validation {
    condition     = can(regex("^[^\\s']{1,100}$", var.operations.journey_context_key))
    error_message = "operations.journey_context_key must be a context key: 1-100 characters without spaces or quotes."
  }
  validation {
    condition     = var.operations.alarms.topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", coalesce(var.operations.alarms.topic_arn, "-")))
    error_message = "operations.alarms.topic_arn must be a standard SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME); CloudWatch alarms cannot notify FIFO topics."
  }
  validation {
    condition     = var.operations.alarms.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(var.operations.alarms.kms_key_arn, "-")))
    error_message = "operations.alarms.kms_key_arn must be a customer managed KMS key ARN whose policy lets cloudwatch.amazonaws.com use it: CloudWatch cannot publish to a topic under the AWS managed aws/sns key."
  }
  validation {
    condition = alltrue([for k in ["api_5xx_rate", "api_4xx_rate", "function_concurrency", "queue_age", "sms_spend", "sms_delivery_failure_rate"] :
    var.operations.alarms[k].threshold > 0 && var.operations.alarms[k].threshold <= 100])
    error_message = "operations.alarms: percentage thresholds (api_5xx_rate, api_4xx_rate, function_concurrency, queue_age, sms_spend, sms_delivery_failure_rate) must be above 0 and at most 100."
  }
  validation {
    condition     = var.operations.alarms.api_latency_p99.threshold >= 50 && var.operations.alarms.api_latency_p99.threshold <= 29000
    error_message = "operations.alarms.api_latency_p99.threshold must be 50-29000 ms (API Gateway stops waiting at 29 s); AJO's slow lane starts at 750 ms."
  }
  validation {
    condition     = var.operations.alarms.sms_spend.monthly_limit_usd == null || try(var.operations.alarms.sms_spend.monthly_limit_usd >= 1, false)
    error_message = "operations.alarms.sms_spend.monthly_limit_usd must be null or the account's monthly SMS spend limit in USD, at least 1 (aws pinpoint-sms-voice-v2 describe-spend-limits)."
  }
}

variable "two_way" {
  description = <<-EOT
    Two-way SMS (modules/two_way): inbound messages of the requested numbers -> SNS -> SQS ->
    the inbound function, which forwards them to AJO's inbound webhook and, with
    `export_events` and event export on, into the event stream (TEXT_INBOUND events).
    `self_managed_opt_outs = true` turns off AWS's own STOP/HELP answers: the function then
    keeps the opt-out list and sends `replies` (US carriers require STOP/HELP answers).
    Existing numbers are attached with the `two_way.attach_command` output. The topic has a
    key of its own; with kms_key_arn (the queues, table and logs), its key policy must also
    admit sns.amazonaws.com (modules/two_way README).
  EOT
  type = object({
    enabled               = optional(bool, false)
    self_managed_opt_outs = optional(bool, false)
    export_events         = optional(bool, true)
    keywords = optional(object({
      opt_out = optional(list(string), ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "OPT-OUT", "REMOVE", "ARRET", "TD"])
      opt_in  = optional(list(string), ["START", "UNSTOP", "SUBSCRIBE", "RESUME", "BEGIN", "CONTINUE"])
      help    = optional(list(string), ["HELP", "AIDE", "INFO"])
      custom  = optional(list(string), [])
    }), {})
    replies = optional(object({
      opt_out = optional(string, "You are unsubscribed and will receive no more messages. Reply START to resubscribe.")
      opt_in  = optional(string, "You are subscribed again. Reply STOP to unsubscribe, HELP for help.")
      help    = optional(string, "Reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply.")
    }), {})
    ajo_inbound_webhook = optional(object({
      url                = string
      secret_arn         = optional(string)
      secret_kms_key_arn = optional(string)
      header_name        = optional(string, "x-ajo-webhook-secret")
    }))
    function = optional(object({
      memory_size          = optional(number, 256)
      timeout              = optional(number, 60)
      reserved_concurrency = optional(number)
      max_attempts         = optional(number, 3)
      http_timeout_seconds = optional(number, 5)
      log_level            = optional(string, "INFO")
    }), {})
    queue = optional(object({
      max_receive_count   = optional(number, 5)
      batch_size          = optional(number, 10)
      maximum_concurrency = optional(number, 2)
    }), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in flatten(values(var.two_way.keywords)) : can(regex("^[^\\s]{0,29}[^\\s.!?,;:]$", k))])
    error_message = "two_way.keywords must be 1-30 characters without spaces, not ending in . ! ? , ; or : (trailing punctuation is removed before matching, so such a keyword never matches): ${join(", ", [for k in flatten(values(var.two_way.keywords)) : jsonencode(k) if !can(regex("^[^\\s]{0,29}[^\\s.!?,;:]$", k))])}."
  }
  validation {
    condition     = length(distinct([for k in flatten(values(var.two_way.keywords)) : lower(k)])) == length(flatten(values(var.two_way.keywords)))
    error_message = "two_way.keywords must be unique across opt_out, opt_in, help and custom (case-insensitive): a message matches one category only."
  }
  validation {
    condition     = length(var.two_way.keywords.opt_out) > 0 || !var.two_way.self_managed_opt_outs
    error_message = "two_way.keywords.opt_out must not be empty with self-managed opt-outs: recipients must be able to opt out."
  }
  validation {
    condition     = alltrue([for r in values(var.two_way.replies) : length(r) <= 1600])
    error_message = "two_way.replies must be at most 1600 characters each (the SMS API's message limit)."
  }
  validation {
    condition     = var.two_way.ajo_inbound_webhook == null || can(regex("^https://[^/\\s]+(/\\S*)?$", var.two_way.ajo_inbound_webhook.url))
    error_message = "two_way.ajo_inbound_webhook.url must be an https:// URL (inbound messages carry phone numbers and texts)."
  }
  validation {
    condition     = var.two_way.ajo_inbound_webhook == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", coalesce(try(var.two_way.ajo_inbound_webhook.secret_arn, null), "arn:aws:secretsmanager:r:000000000000:secret:x")))
    error_message = "two_way.ajo_inbound_webhook.secret_arn must be a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)."
  }
  validation {
    condition     = var.two_way.ajo_inbound_webhook == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(try(var.two_way.ajo_inbound_webhook.secret_kms_key_arn, null), "arn:aws:kms:r:000000000000:key/00000000-0000-0000-0000-000000000000")))
    error_message = "two_way.ajo_inbound_webhook.secret_kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
  }
  validation {
    condition     = var.two_way.ajo_inbound_webhook == null || can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$", try(var.two_way.ajo_inbound_webhook.header_name, "")))
    error_message = "two_way.ajo_inbound_webhook.header_name must be an HTTP header token (letters, digits, hyphens; at most 63 characters)."
  }
  validation {
    condition     = var.two_way.function.memory_size >= 128 && var.two_way.function.memory_size <= 10240 && floor(var.two_way.function.memory_size) == var.two_way.function.memory_size
    error_message = "two_way.function.memory_size must be a whole number of MB, 128-10240."
  }
  validation {
    condition     = var.two_way.function.timeout >= 10 && var.two_way.function.timeout <= 900 && floor(var.two_way.function.timeout) == var.two_way.function.timeout
    error_message = "two_way.function.timeout must be a whole number of seconds, 10-900."
  }
  validation {
    condition     = var.two_way.function.timeout > var.two_way.function.max_attempts * var.two_way.function.http_timeout_seconds
    error_message = "two_way.function.timeout must exceed two_way.function.max_attempts x two_way.function.http_timeout_seconds (one message's webhook posts), or every slow webhook would time the batch out."
  }
  validation {
    condition     = var.two_way.function.max_attempts >= 1 && var.two_way.function.max_attempts <= 10 && floor(var.two_way.function.max_attempts) == var.two_way.function.max_attempts
    error_message = "two_way.function.max_attempts must be a whole number, 1-10."
  }
  validation {
    condition     = var.two_way.function.http_timeout_seconds >= 1 && var.two_way.function.http_timeout_seconds <= 30
    error_message = "two_way.function.http_timeout_seconds must be 1-30 seconds."
  }
  validation {
    condition     = var.two_way.function.reserved_concurrency == null || try(var.two_way.function.reserved_concurrency >= 1 && floor(var.two_way.function.reserved_concurrency) == var.two_way.function.reserved_concurrency, false)
    error_message = "two_way.function.reserved_concurrency must be null (unreserved) or a whole number >= 1 (0 would leave every inbound message to the DLQ)."
  }
  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR"], var.two_way.function.log_level)
    error_message = "two_way.function.log_level must be DEBUG, INFO, WARNING or ERROR."
  }
  validation {
    condition     = var.two_way.queue.max_receive_count >= 1 && var.two_way.queue.max_receive_count <= 1000 && floor(var.two_way.queue.max_receive_count) == var.two_way.queue.max_receive_count
    error_message = "two_way.queue.max_receive_count must be a whole number, 1-1000 (SQS's redrive limits)."
  }
  validation {
    condition     = var.two_way.queue.batch_size >= 1 && var.two_way.queue.batch_size <= 10 && floor(var.two_way.queue.batch_size) == var.two_way.queue.batch_size
    error_message = "two_way.queue.batch_size must be a whole number, 1-10 (above 10, SQS event sources need a batching window)."
  }
  validation {
    condition     = var.two_way.queue.maximum_concurrency >= 2 && var.two_way.queue.maximum_concurrency <= 1000 && floor(var.two_way.queue.maximum_concurrency) == var.two_way.queue.maximum_concurrency
    error_message = "two_way.queue.maximum_concurrency must be a whole number, 2-1000 (the limits of an SQS event source's maximum concurrency)."
  }
  validation {
    # The two-way setting wins on every requested number (messaging.tf).
    condition     = !var.two_way.enabled || var.two_way.self_managed_opt_outs || alltrue([for n in values(var.sms.phone_numbers) : !n.self_managed_opt_outs_enabled])
    error_message = "sms.phone_numbers[*].self_managed_opt_outs_enabled = true conflicts with two_way.self_managed_opt_outs = false: nothing would answer STOP. Set two_way.self_managed_opt_outs instead."
  }
  validation {
    # Replies and opt-out list calls are End User Messaging (v2) APIs.
    condition     = !var.two_way.enabled || var.sms.api == "v2"
    error_message = "two_way needs sms.api = \"v2\": two-way numbers, opt-out lists and replies are End User Messaging SMS features."
  }
}
