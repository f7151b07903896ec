variable "name" {
  description = "Name shared by this module's resources (Firehose stream, log group, roles, queue, function)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$", var.name))
    error_message = "name must be 2-40 lower-case letters, digits or '-', starting and ending with a letter or digit (it prefixes the bucket name)."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for the Firehose error log group and, with aep_forwarding, the forwarder's log group, environment variables and queues (null: AWS-managed keys). Its key policy must admit the CloudWatch Logs service of this region and, for the queues, S3 (it sends the object notifications); the forwarder's role is granted kms:Decrypt on it."
  type        = string
  default     = null

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(var.kms_key_arn, "arn:aws:kms:r:000000000000:key/00000000-0000-0000-0000-000000000000")))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing of the AEP forwarder function: null (off), \"Active\" or \"PassThrough\" (see modules/function)."
  type        = string
  default     = null

  validation {
    condition     = contains(["Active", "PassThrough"], coalesce(var.tracing_mode, "Active"))
    error_message = "tracing_mode must be null, \"Active\" or \"PassThrough\"."
  }
}

variable "role_path" {
  description = "IAM path of every role this module creates (the Firehose role, the forwarder's role)."
  type        = string
  default     = "/"
  nullable    = false

  validation {
    condition     = can(regex("^/([\\x21-\\x7E]{1,510}/)?$", var.role_path))
    error_message = "role_path must be \"/\" or an IAM path such as \"/ajo-sms/\" (starts and ends with '/', printable ASCII, at most 512 characters)."
  }
}

variable "role_permissions_boundary" {
  description = "ARN of the permissions boundary policy set on every role this module creates (null: none)."
  type        = string
  default     = null

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(var.role_permissions_boundary, "arn:aws:iam::aws:policy/x")))
    error_message = "role_permissions_boundary must be an IAM policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)."
  }
}

variable "bucket" {
  description = <<-EOT
    Where events land. `create = true` (default) creates a private, encrypted
    bucket; `create = false` writes to `existing_arn` (its encryption key, if
    SSE-KMS, goes in `encryption.kms_key_arn` so the roles may use it).
    `encryption.type`: SSE-KMS (default; the module creates a key unless
    `kms_key_arn` is given) or SSE-S3. Set `create_kms_key = false` when
    `kms_key_arn` comes from a resource created in the same apply (whether it
    is null is then unknown at plan, and so would be the key's count).
    `expiration_days = 0` keeps objects forever.
  EOT
  type = object({
    create                     = optional(bool, true)
    name                       = optional(string)
    existing_arn               = optional(string)
    force_destroy              = optional(bool, false)
    versioning                 = optional(bool, false)
    expiration_days            = optional(number, 400)
    noncurrent_expiration_days = optional(number, 30)
    encryption = optional(object({
      type           = optional(string, "SSE-KMS")
      kms_key_arn    = optional(string)
      create_kms_key = optional(bool)
    }), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.bucket.create || can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket.existing_arn))
    error_message = "bucket.existing_arn must be an S3 bucket ARN (arn:aws:s3:::NAME) when bucket.create is false."
  }
  validation {
    condition     = !var.bucket.create || var.bucket.existing_arn == null
    error_message = "bucket.existing_arn is only used with bucket.create = false."
  }
  validation {
    condition     = var.bucket.name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.bucket.name, "x")))
    error_message = "bucket.name must be a valid S3 bucket name (3-63 lower-case letters, digits, '.' or '-')."
  }
  validation {
    condition     = contains(["SSE-KMS", "SSE-S3"], var.bucket.encryption.type)
    error_message = "bucket.encryption.type must be SSE-KMS or SSE-S3."
  }
  validation {
    condition     = var.bucket.encryption.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(var.bucket.encryption.kms_key_arn, "x")))
    error_message = "bucket.encryption.kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
  }
  validation {
    condition     = var.bucket.create || var.bucket.encryption.type == "SSE-S3" || var.bucket.encryption.kms_key_arn != null
    error_message = "With an existing bucket, set bucket.encryption.kms_key_arn to its SSE-KMS key, or bucket.encryption.type = \"SSE-S3\" if it uses S3-managed keys."
  }
  validation {
    condition     = !(var.bucket.encryption.create_kms_key == true && var.bucket.encryption.kms_key_arn != null)
    error_message = "bucket.encryption: set either create_kms_key = true or a kms_key_arn, not both."
  }
  validation {
    condition     = var.bucket.encryption.create_kms_key != false || var.bucket.encryption.type == "SSE-S3" || var.bucket.encryption.kms_key_arn != null
    error_message = "bucket.encryption.create_kms_key = false needs a kms_key_arn (or encryption.type = \"SSE-S3\")."
  }
  validation {
    condition     = var.bucket.encryption.type == "SSE-KMS" || var.bucket.encryption.kms_key_arn == null
    error_message = "bucket.encryption.kms_key_arn is only used with encryption.type = SSE-KMS."
  }
  validation {
    condition     = var.bucket.expiration_days >= 0 && floor(var.bucket.expiration_days) == var.bucket.expiration_days
    error_message = "bucket.expiration_days must be a whole number of days (0 keeps objects forever)."
  }
  validation {
    condition     = var.bucket.noncurrent_expiration_days >= 1 && floor(var.bucket.noncurrent_expiration_days) == var.bucket.noncurrent_expiration_days
    error_message = "bucket.noncurrent_expiration_days must be a whole number of days, at least 1."
  }
}

variable "delivery" {
  description = <<-EOT
    Firehose delivery. Objects land under `prefix` partitioned by arrival date
    (`year=/month=/day=`), and by event type too when `dynamic_partitioning` is
    on (JQ on the event's `eventType`). Failed records go under `error_prefix`.
    Buffering: `buffering_size` MiB (null: 5, or 64 with dynamic partitioning,
    its minimum) or `buffering_interval` seconds, whichever comes first.
  EOT
  type = object({
    prefix               = optional(string, "events/")
    error_prefix         = optional(string, "errors/")
    dynamic_partitioning = optional(bool, false)
    buffering_size       = optional(number)
    buffering_interval   = optional(number, 300)
    log_retention_days   = optional(number, 30)
    firehose_kms_key_arn = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-][A-Za-z0-9_./-]*/$", var.delivery.prefix)) && can(regex("^[A-Za-z0-9_-][A-Za-z0-9_./-]*/$", var.delivery.error_prefix))
    error_message = "delivery.prefix and delivery.error_prefix must be plain S3 key prefixes ending in '/' (the module adds the partitions)."
  }
  validation {
    condition = alltrue([for p in [var.delivery.prefix, var.delivery.error_prefix] :
      !startswith("aep-forwarder/", p) && !startswith(p, "aep-forwarder/") && !startswith("ajo-feedback/", p) && !startswith(p, "ajo-feedback/")
    ])
    error_message = "delivery.prefix and delivery.error_prefix must stay outside aep-forwarder/ and ajo-feedback/ (the forwarder's checkpoints and rejects live there)."
  }
  validation {
    condition     = !var.whatsapp_events || !startswith("whatsapp-events/", var.delivery.prefix) && !startswith(var.delivery.prefix, "whatsapp-events/") && !startswith("whatsapp-events/", var.delivery.error_prefix) && !startswith(var.delivery.error_prefix, "whatsapp-events/")
    error_message = "delivery.prefix and delivery.error_prefix must stay outside whatsapp-events/ (the WhatsApp events' prefix), and it outside them."
  }
  validation {
    condition     = !startswith(var.delivery.error_prefix, var.delivery.prefix) && !startswith(var.delivery.prefix, var.delivery.error_prefix)
    error_message = "delivery.prefix and delivery.error_prefix must not contain one another (error objects would be read as events)."
  }
  validation {
    condition     = var.delivery.buffering_size == null || try(var.delivery.buffering_size >= (var.delivery.dynamic_partitioning ? 64 : 1) && var.delivery.buffering_size <= 128 && floor(var.delivery.buffering_size) == var.delivery.buffering_size, false)
    error_message = "delivery.buffering_size must be a whole number of MiB, 1-128, and at least 64 with dynamic_partitioning."
  }
  validation {
    condition     = var.delivery.buffering_interval >= 0 && var.delivery.buffering_interval <= 900 && floor(var.delivery.buffering_interval) == var.delivery.buffering_interval
    error_message = "delivery.buffering_interval must be a whole number of seconds, 0-900."
  }
  validation {
    condition     = contains(local.log_retention_values, var.delivery.log_retention_days)
    error_message = "delivery.log_retention_days must be a CloudWatch Logs retention value in days, one of ${join(", ", local.log_retention_values)} (0: never expire)."
  }
  validation {
    condition     = var.delivery.firehose_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(var.delivery.firehose_kms_key_arn, "x")))
    error_message = "delivery.firehose_kms_key_arn must be a KMS key ARN (null: AWS-owned key)."
  }
}

variable "whatsapp_events" {
  description = <<-EOT
    A second Firehose stream, `<name>-whatsapp-events`, for AWS End User Messaging Social
    (WhatsApp) events, which its topic's Firehose subscription puts (raw, one event per
    record): into the same bucket under `whatsapp-events/year=/month=/day=/`, outside
    `delivery.prefix`, so neither the Glue table nor the forwarder reads them; failed
    records under `delivery.error_prefix` + `whatsapp/`.
  EOT
  type        = bool
  default     = false
  nullable    = false
}

variable "event_types" {
  description = "Event types the configuration set sends to this export (modules/messaging's default_event_types or the list given to it): the values of the Glue table's event_type partition projection."
  type        = list(string)
  default = [
    "TEXT_SENT", "TEXT_PENDING", "TEXT_QUEUED", "TEXT_SUCCESSFUL", "TEXT_DELIVERED",
    "TEXT_INVALID", "TEXT_INVALID_MESSAGE", "TEXT_UNREACHABLE", "TEXT_CARRIER_UNREACHABLE",
    "TEXT_BLOCKED", "TEXT_CARRIER_BLOCKED", "TEXT_SPAM", "TEXT_UNKNOWN", "TEXT_TTL_EXPIRED",
    "TEXT_PROTECT_BLOCKED",
  ]
  nullable = false

  validation {
    condition     = length(var.event_types) > 0 && alltrue([for t in var.event_types : can(regex("^[A-Z][A-Z_]{2,63}$", t))])
    error_message = "event_types must be a non-empty list of event type names such as TEXT_DELIVERED."
  }
}

variable "glue" {
  description = <<-EOT
    Optional Glue database and table over the events (JSON SerDe, partition
    projection on the date partitions, and event type when dynamic partitioning
    is on) for Athena delivery reports. `database_name` defaults to `name`
    with '-' as '_'; `create_database = false` uses that existing database.
  EOT
  type = object({
    enabled               = optional(bool, false)
    create_database       = optional(bool, true)
    database_name         = optional(string)
    table_name            = optional(string, "sms_events")
    projection_start_year = optional(number, 2025)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.glue.database_name == null || can(regex("^[a-z0-9_]{1,255}$", coalesce(var.glue.database_name, "x")))
    error_message = "glue.database_name must be lower-case letters, digits or '_' (Athena-friendly)."
  }
  validation {
    condition     = can(regex("^[a-z0-9_]{1,255}$", var.glue.table_name))
    error_message = "glue.table_name must be lower-case letters, digits or '_' (Athena-friendly)."
  }
  validation {
    condition     = var.glue.projection_start_year >= 2020 && var.glue.projection_start_year <= 2100 && floor(var.glue.projection_start_year) == var.glue.projection_start_year
    error_message = "glue.projection_start_year must be a year between 2020 and 2100."
  }
}

variable "aep_forwarding" {
  description = <<-EOT
    Optional forwarding of each event to Adobe Experience Platform's streaming
    inlet: S3 ObjectCreated -> SQS (with DLQ) -> functions/event_forwarder.
    `package.filename` is dist/event_forwarder.zip from `make build`. The AEP
    token or client credentials live in Secrets Manager: `secret_arn` (existing)
    or, when null, a secret the module creates for you to fill (see README).
    `inlet_url` must be on Adobe's `*.adobedc.net`, unless `inlet_allowed_host`
    names the one other https host allowed (e.g. an egress proxy).
    `sqs_maximum_concurrency` bounds the concurrent forwarder invocations (2-1000).
  EOT
  type = object({
    enabled = optional(bool, false)
    package = optional(object({
      filename = string
    }))
    inlet_url           = optional(string)
    inlet_allowed_host  = optional(string)
    secret_arn          = optional(string)
    secret_kms_key_arn  = optional(string)
    ims_org_id          = optional(string)
    sandbox_name        = optional(string, "prod")
    dataset_id          = optional(string)
    schema_id           = optional(string)
    schema_content_type = optional(string, "application/vnd.adobe.xed-full+json;version=1")
    source_name         = optional(string, "aws-end-user-messaging-sms")
    flow_id             = optional(string)
    xdm_template        = optional(string)
    batch_max_events    = optional(number, 100)
    max_attempts        = optional(number, 5)
    timeout             = optional(number, 120)
    memory_size         = optional(number, 256)
    architecture        = optional(string, "arm64")
    sqs_batch_size      = optional(number, 5)
    max_receive_count   = optional(number, 5)
    log_retention_days  = optional(number, 30)
    # Lambda's SQS scaling: at most this many invocations at once (minimum 2).
    sqs_maximum_concurrency = optional(number, 5)
    # Existing buckets only: aws_s3_bucket_notification owns the bucket's whole
    # notification configuration, so the module manages it only when told to.
    manage_bucket_notification = optional(bool, false)
  })
  default  = {}
  nullable = false

  validation {
    condition     = !(var.aep_forwarding.enabled || var.ajo_feedback_webhook != null) || try(var.aep_forwarding.package.filename != "", false)
    error_message = "aep_forwarding.package.filename (the event_forwarder zip) is required when aep_forwarding.enabled or ajo_feedback_webhook is set."
  }
  validation {
    condition     = !var.aep_forwarding.enabled || can(regex("^https://[^/\\s]+/\\S+$", var.aep_forwarding.inlet_url))
    error_message = "aep_forwarding.inlet_url must be the https:// streaming inlet URL (e.g. https://dcs.adobedc.net/collection/batch/CONNECTION_ID)."
  }
  validation {
    # Events (phone numbers in them) leave only for Adobe's inlet, or the one host named.
    condition = !var.aep_forwarding.enabled || anytrue([
      can(regex("^https://([a-z0-9-]+\\.)+adobedc\\.net(:[0-9]+)?/", lower(var.aep_forwarding.inlet_url))),
      can(regex("^https://${replace(lower(var.aep_forwarding.inlet_allowed_host), ".", "\\.")}(:[0-9]+)?/", lower(var.aep_forwarding.inlet_url))),
    ])
    error_message = "aep_forwarding.inlet_url must be on Adobe's *.adobedc.net, or on the host named by aep_forwarding.inlet_allowed_host."
  }
  validation {
    condition     = var.aep_forwarding.inlet_allowed_host == null || can(regex("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$", var.aep_forwarding.inlet_allowed_host))
    error_message = "aep_forwarding.inlet_allowed_host must be a host name (no scheme, port or path), e.g. aep-proxy.example.com."
  }
  validation {
    condition     = !var.aep_forwarding.enabled || can(regex("^[A-Za-z0-9]+@AdobeOrg$", var.aep_forwarding.ims_org_id))
    error_message = "aep_forwarding.ims_org_id must be an IMS organization ID (XXXX@AdobeOrg)."
  }
  validation {
    condition     = !var.aep_forwarding.enabled || can(regex("^[0-9a-f]{24}$", var.aep_forwarding.dataset_id))
    error_message = "aep_forwarding.dataset_id must be an AEP dataset ID (24 hex characters)."
  }
  validation {
    condition     = !var.aep_forwarding.enabled || can(regex("^https://ns\\.adobe\\.com/\\S+$", var.aep_forwarding.schema_id))
    error_message = "aep_forwarding.schema_id must be the XDM schema's $id (https://ns.adobe.com/TENANT/schemas/ID)."
  }
  validation {
    condition     = can(regex("^[a-z0-9-]{1,64}$", var.aep_forwarding.sandbox_name))
    error_message = "aep_forwarding.sandbox_name must be an AEP sandbox name (lower-case letters, digits, '-')."
  }
  validation {
    condition     = var.aep_forwarding.secret_arn == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", coalesce(var.aep_forwarding.secret_arn, "x")))
    error_message = "aep_forwarding.secret_arn must be a Secrets Manager secret ARN."
  }
  validation {
    condition     = var.aep_forwarding.xdm_template == null || can(keys(jsondecode(coalesce(var.aep_forwarding.xdm_template, "{}"))))
    error_message = "aep_forwarding.xdm_template must be a JSON object (see the module README for placeholders)."
  }
  validation {
    # No `x == null || f(x)`: Terraform evaluates both sides of `||` (OpenTofu
    # stops at the first), so the right side must accept a null too.
    condition     = length(coalesce(var.aep_forwarding.xdm_template, "{}")) <= 3000
    error_message = "aep_forwarding.xdm_template must be at most 3000 characters (Lambda environment variables total 4 KB)."
  }
  validation {
    condition     = var.aep_forwarding.batch_max_events >= 1 && var.aep_forwarding.batch_max_events <= 500 && floor(var.aep_forwarding.batch_max_events) == var.aep_forwarding.batch_max_events
    error_message = "aep_forwarding.batch_max_events must be a whole number, 1-500."
  }
  validation {
    condition     = var.aep_forwarding.max_attempts >= 1 && var.aep_forwarding.max_attempts <= 10 && floor(var.aep_forwarding.max_attempts) == var.aep_forwarding.max_attempts
    error_message = "aep_forwarding.max_attempts must be a whole number, 1-10."
  }
  validation {
    condition     = var.aep_forwarding.timeout >= 30 && var.aep_forwarding.timeout <= 900 && floor(var.aep_forwarding.timeout) == var.aep_forwarding.timeout
    error_message = "aep_forwarding.timeout must be a whole number of seconds, 30-900."
  }
  validation {
    condition     = var.aep_forwarding.memory_size >= 128 && var.aep_forwarding.memory_size <= 10240 && floor(var.aep_forwarding.memory_size) == var.aep_forwarding.memory_size
    error_message = "aep_forwarding.memory_size must be a whole number of MB, 128-10240."
  }
  validation {
    condition     = contains(local.log_retention_values, var.aep_forwarding.log_retention_days)
    error_message = "aep_forwarding.log_retention_days must be a CloudWatch Logs retention value in days, one of ${join(", ", local.log_retention_values)} (0: never expire)."
  }
  validation {
    condition     = contains(["arm64", "x86_64"], var.aep_forwarding.architecture)
    error_message = "aep_forwarding.architecture must be arm64 or x86_64."
  }
  validation {
    condition     = var.aep_forwarding.sqs_batch_size >= 1 && var.aep_forwarding.sqs_batch_size <= 10 && floor(var.aep_forwarding.sqs_batch_size) == var.aep_forwarding.sqs_batch_size
    error_message = "aep_forwarding.sqs_batch_size must be a whole number, 1-10."
  }
  validation {
    condition     = floor(var.aep_forwarding.sqs_maximum_concurrency) == var.aep_forwarding.sqs_maximum_concurrency && var.aep_forwarding.sqs_maximum_concurrency >= 2 && var.aep_forwarding.sqs_maximum_concurrency <= 1000
    error_message = "aep_forwarding.sqs_maximum_concurrency must be a whole number 2-1000 (Lambda's SQS maximum concurrency range)."
  }
  validation {
    condition     = var.aep_forwarding.max_receive_count >= 1 && var.aep_forwarding.max_receive_count <= 100 && floor(var.aep_forwarding.max_receive_count) == var.aep_forwarding.max_receive_count
    error_message = "aep_forwarding.max_receive_count must be a whole number, 1-100."
  }
}

variable "ajo_feedback_webhook" {
  description = <<-EOT
    Optional AJO feedback webhook (the URL AJO generates for a custom SMS provider's delivery
    feedback): the event forwarder posts each delivery event's status there as
    `{clientReference, statuses[{code, status}], ...}`, with its own checkpoints under
    ajo-feedback/. `client_reference_key` is the send's `context` key holding AJO's
    reference (else trackingId, else messageId). `secret_arn`: a Secrets Manager secret whose
    SecretString is sent in `header_name`; `secret_kms_key_arn`: its customer key, if any.
    The forwarder (queue, DLQ, function) exists when this or aep_forwarding is on; its
    settings (timeout, memory, batch sizes, attempts) are aep_forwarding's.
  EOT
  type = object({
    url                  = string
    secret_arn           = optional(string)
    secret_kms_key_arn   = optional(string)
    header_name          = optional(string, "x-ajo-webhook-secret")
    client_reference_key = optional(string, "clientReference")
  })
  default = null

  validation {
    condition     = var.ajo_feedback_webhook == null || can(regex("^https://[^/\\s]+(/\\S*)?$", var.ajo_feedback_webhook.url))
    error_message = "ajo_feedback_webhook.url must be an https:// URL (delivery events carry phone numbers)."
  }
  validation {
    condition     = var.ajo_feedback_webhook == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", coalesce(try(var.ajo_feedback_webhook.secret_arn, null), "arn:aws:secretsmanager:r:000000000000:secret:x")))
    error_message = "ajo_feedback_webhook.secret_arn must be a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)."
  }
  validation {
    condition     = var.ajo_feedback_webhook == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(try(var.ajo_feedback_webhook.secret_kms_key_arn, null), "arn:aws:kms:r:000000000000:key/00000000-0000-0000-0000-000000000000")))
    error_message = "ajo_feedback_webhook.secret_kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
  }
  validation {
    condition     = var.ajo_feedback_webhook == null || can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$", try(var.ajo_feedback_webhook.header_name, "")))
    error_message = "ajo_feedback_webhook.header_name must be an HTTP header token (letters, digits, hyphens; at most 63 characters)."
  }
  validation {
    # A send's context keys are at most 100 characters (CONTRACT.md section 1).
    condition     = var.ajo_feedback_webhook == null || can(regex("^\\S{1,100}$", try(var.ajo_feedback_webhook.client_reference_key, "")))
    error_message = "ajo_feedback_webhook.client_reference_key must be 1-100 characters without spaces (a key of the send's context)."
  }
}
