variable "name" {
  description = "Prefix of this module's resources: queues `<name>-sms-transactional`, `<name>-sms-promotional`, `<name>-sms-dlq`, table `<name>-delivery`, function `<name>-sms-dispatch`."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the queues, the table, the dispatcher's logs and environment. Null: SQS-managed SSE and AWS owned keys."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(var.kms_key_arn, "-")))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
  }
}

variable "delivery" {
  description = <<-EOT
    Pacing (docs/DELIVERY.md). `mps`: message parts per second all dispatchers together may
    send (the identities' MPS less what direct sends need). `validity_seconds`: a message not
    sent by then is recorded EXPIRED (60 s-72 h, the SMS API's TimeToLive ceiling).
    `max_attempts`: transient failures before the DLQ. `promotional_reserve`: parts kept for
    transactional sends (null: mps / 3 rounded up, below mps). `batch_size` (1-10) and
    `maximum_concurrency` (2-1000) per queue's event source mapping. `expected_journey_size`:
    message parts of the largest journey queued at once; a plan warns when it cannot drain
    at `mps` within `validity_seconds`.
  EOT
  type = object({
    mps                   = number
    validity_seconds      = optional(number, 14400)
    max_attempts          = optional(number, 5)
    promotional_reserve   = optional(number)
    batch_size            = optional(number, 10)
    maximum_concurrency   = optional(number, 2)
    expected_journey_size = optional(number)
  })
  nullable = false

  validation {
    condition     = var.delivery.mps >= 1 && var.delivery.mps <= 10000 && floor(var.delivery.mps) == var.delivery.mps
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
    error_message = "delivery.batch_size must be a whole number between 1 and 10 (above 10, SQS event sources need a batching window)."
  }
  validation {
    condition     = var.delivery.maximum_concurrency >= 2 && var.delivery.maximum_concurrency <= 1000 && floor(var.delivery.maximum_concurrency) == var.delivery.maximum_concurrency
    error_message = "delivery.maximum_concurrency must be a whole number between 2 and 1000 (the limits of an SQS event source's maximum concurrency)."
  }
  validation {
    condition     = var.delivery.expected_journey_size == null || try(var.delivery.expected_journey_size >= 1, false)
    error_message = "delivery.expected_journey_size must be null or at least 1."
  }
}

variable "package" {
  description = "The send function's zip (dist/sms_send.zip): the dispatcher is its second entry point, `dispatcher.handler`, so producer and consumer of a queue message are always one code version."
  type = object({
    filename = string
  })
  nullable = false
}

variable "function" {
  description = "Dispatcher Lambda settings. The queues' visibility timeout is 6 x `timeout` (AWS's guidance for Lambda event sources)."
  type = object({
    runtime                   = optional(string, "python3.13")
    architecture              = optional(string, "arm64")
    memory_size               = optional(number, 256)
    timeout                   = optional(number, 60)
    log_retention_days        = optional(number, 30)
    tracing_mode              = optional(string)
    role_path                 = optional(string, "/")
    role_permissions_boundary = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    # 6 x timeout must stay within SQS's 12 h visibility ceiling.
    condition     = var.function.timeout >= 30 && var.function.timeout <= 900
    error_message = "function.timeout must be between 30 and 900 seconds: a batch waits for tokens inside the invocation (docs/DELIVERY.md)."
  }
}

variable "sms_environment" {
  description = "How the dispatcher sends, the same variables the send function gets (SMS_API, CONFIGURATION_SET_NAME or PINPOINT_APPLICATION_ID)."
  type        = map(string)
  nullable    = false
}

variable "send_policy_statements" {
  description = "IAM statements that allow the send itself (modules/messaging's `send_policy_statements`), granted to the dispatcher."
  type = list(object({
    sid       = optional(string)
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
    condition = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  nullable = false
}

variable "events_stream_name" {
  description = "Firehose stream of delivery events (modules/event_export) that dispatch outcomes are put to; null when event export is off."
  type        = string
  default     = null
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the dispatcher's Embedded Metric Format metrics (its METRICS_NAMESPACE)."
  type        = string
  default     = "AjoSms"
  nullable    = false
}
