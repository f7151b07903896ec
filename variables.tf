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
  description = "Customer-managed KMS key for logs, the idempotency table, function environments and the event bucket. Null uses AWS-managed keys."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/UUID); aliases are not accepted by every service used here."
  }
}

variable "api_key" {
  description = <<-EOT
    The API key AJO presents. By default the module creates a Secrets Manager secret whose
    value is generated ephemerally and written write-only (never in plan or state). Bump
    `generation` to have Terraform write a fresh key; set `existing_secret_arn` to bring your own.
  EOT
  type = object({
    existing_secret_arn     = optional(string)
    kms_key_arn             = optional(string)
    recovery_window_in_days = optional(number, 7)
    generation              = optional(number, 1)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.api_key.existing_secret_arn == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.api_key.existing_secret_arn))
    error_message = "api_key.existing_secret_arn must be a Secrets Manager secret ARN."
  }
  validation {
    condition     = var.api_key.recovery_window_in_days == 0 || (var.api_key.recovery_window_in_days >= 7 && var.api_key.recovery_window_in_days <= 30)
    error_message = "api_key.recovery_window_in_days must be 0 (delete at once) or between 7 and 30."
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

variable "api" {
  description = <<-EOT
    The HTTPS endpoint AJO calls. Throttling defaults match AJO's 200 TPS throttling floor;
    size them to the SMS throughput of your identities (README: capacity). `allowed_source_cidrs`
    restricts callers (AJO's static-IP egress option); `manage_account_cloudwatch_role` sets the
    account-wide API Gateway logging role and is off unless you opt in.
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
    condition     = var.api.authorizer_cache_ttl_seconds >= 0 && var.api.authorizer_cache_ttl_seconds <= 3600
    error_message = "api.authorizer_cache_ttl_seconds must be between 0 (no cache) and 3600."
  }
}

variable "functions" {
  description = <<-EOT
    Lambda settings. `packages` overrides the zips (default: the module's own dist/<name>.zip,
    built reproducibly by `make build` and shipped with the module). Reserved concurrency caps
    what the send function may take from the account (README: capacity).
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
    }), {})
    send = optional(object({
      memory_size          = optional(number, 256)
      timeout              = optional(number, 10)
      reserved_concurrency = optional(number)
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

  validation {
    condition     = contains(["arm64", "x86_64"], var.functions.architecture)
    error_message = "functions.architecture must be arm64 or x86_64."
  }
  validation {
    condition     = var.functions.send.timeout >= 3 && var.functions.send.timeout <= 29
    error_message = "functions.send.timeout must be 3-29 seconds: API Gateway stops waiting at 29 s and AJO's journey timeout is at most 30 s."
  }
}

variable "event_export" {
  description = <<-EOT
    Delivery events: configuration-set event destination -> Firehose -> S3, with an optional
    Glue table for Athena and optional forwarding to Adobe Experience Platform. See
    modules/event_export for every field.
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
    delivery = optional(object({
      dynamic_partitioning = optional(bool, false)
      buffering_size       = optional(number)
      buffering_interval   = optional(number, 300)
    }), {})
    glue = optional(object({
      enabled       = optional(bool, false)
      database_name = optional(string)
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
    }), {})
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
