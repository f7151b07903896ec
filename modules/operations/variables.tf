variable "name" {
  description = "Prefix of this module's resources: alarms `<name>-<alarm>`, topic `<name>-alarms`, dashboard `<name>`, named queries `<name>-<report>`."
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

variable "api" {
  description = "The REST API to watch (API Gateway's ApiName and Stage dimensions); null: no API alarms or widgets."
  type = object({
    name  = string
    stage = string
  })
  default = null
}

variable "functions" {
  description = "Lambda functions to watch, by role (authorizer, send, dispatch, forwarder, inbound: present only when deployed). `reserved_concurrency` (null: unreserved) is what the concurrency alarm measures against."
  type = map(object({
    name                 = string
    reserved_concurrency = optional(number)
  }))
  default  = {}
  nullable = false
}

variable "queues" {
  description = "Work queues whose oldest message's age is watched against `max_age_seconds` (a message's validity; null: not watched), by key."
  type = map(object({
    name            = string
    max_age_seconds = optional(number)
  }))
  default  = {}
  nullable = false
}

variable "dead_letter_queues" {
  description = "Dead-letter queue names by key: any visible message raises an alarm."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "firehose" {
  description = "The delivery-event Firehose stream and its buffering interval (seconds; the freshness alarm's default is twice it); null: no Firehose alarms."
  type = object({
    stream_name        = string
    buffering_interval = number
  })
  default = null
}

variable "athena" {
  description = "Glue database and table of the delivery events (modules/event_export) for the named report queries; null: no queries. `journey_context_key`: the `context` key holding AJO's journey ID."
  type = object({
    database            = string
    table               = string
    workgroup           = optional(string, "primary")
    journey_context_key = optional(string, "journeyId")
  })
  default = null
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the functions' Embedded Metric Format metrics (their METRICS_NAMESPACE)."
  type        = string
  default     = "AjoSms"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1-255 characters of letters, digits and . _ / # : - and must not start with \"AWS/\" (reserved for AWS services)."
  }
}

variable "mps" {
  description = "Message parts per second paced delivery may send (delivery.mps): the dashboard's throughput line. Null: no line."
  type        = number
  default     = null
}

variable "dashboard" {
  description = "Create the CloudWatch dashboard."
  type        = bool
  default     = true
  nullable    = false
}

variable "alarms" {
  description = <<-EOT
    CloudWatch alarms (README: alarms). Every alarm is on by default and has `enabled`,
    `threshold`, `evaluation_periods` and `period` (seconds); alarm and OK notifications go to
    `topic_arn`, else to a KMS-encrypted topic the module creates (`create_topic`; its key is
    `kms_key_arn`, else one created here whose policy admits CloudWatch). Rates and ratios are
    percentages. `sms_spend` needs the account's monthly SMS spend limit (`monthly_limit_usd`).
  EOT
  type = object({
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
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.alarms.topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", coalesce(var.alarms.topic_arn, "-")))
    error_message = "alarms.topic_arn must be a standard SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME); CloudWatch alarms cannot notify FIFO topics."
  }
  validation {
    condition     = var.alarms.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(var.alarms.kms_key_arn, "-")))
    error_message = "alarms.kms_key_arn must be a customer managed KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID): CloudWatch cannot publish to a topic under the AWS managed aws/sns key."
  }
  validation {
    condition = alltrue([for k in ["api_5xx_rate", "api_latency_p99", "api_4xx_rate", "function_errors", "function_throttles", "function_concurrency", "dead_letter_queue", "queue_age", "queued_expired", "firehose_delivery", "firehose_freshness", "sms_spend", "sms_delivery_failure_rate"] : (
      var.alarms[k].evaluation_periods >= 1 && var.alarms[k].evaluation_periods <= 100 && floor(var.alarms[k].evaluation_periods) == var.alarms[k].evaluation_periods
      && (contains([10, 30], var.alarms[k].period) || (var.alarms[k].period >= 60 && var.alarms[k].period % 60 == 0))
      && var.alarms[k].period * var.alarms[k].evaluation_periods <= 86400
    )])
    error_message = "Every alarm's evaluation_periods must be a whole number 1-100 and its period 10, 30 or a multiple of 60 seconds, with period x evaluation_periods at most one day."
  }
  validation {
    condition = alltrue([for k in ["api_5xx_rate", "api_4xx_rate", "function_concurrency", "queue_age", "sms_spend", "sms_delivery_failure_rate"] :
    var.alarms[k].threshold > 0 && var.alarms[k].threshold <= 100])
    error_message = "Percentage thresholds (api_5xx_rate, api_4xx_rate, function_concurrency, queue_age, sms_spend, sms_delivery_failure_rate) must be above 0 and at most 100."
  }
  validation {
    condition = alltrue([for k in ["function_errors", "function_throttles", "dead_letter_queue", "queued_expired"] :
    var.alarms[k].threshold >= 0 && floor(var.alarms[k].threshold) == var.alarms[k].threshold])
    error_message = "Count thresholds (function_errors, function_throttles, dead_letter_queue, queued_expired) must be whole numbers >= 0 (the alarm fires above them)."
  }
  validation {
    condition     = var.alarms.api_latency_p99.threshold >= 50 && var.alarms.api_latency_p99.threshold <= 29000
    error_message = "alarms.api_latency_p99.threshold must be 50-29000 ms (API Gateway stops waiting at 29 s); AJO's slow lane starts at 750 ms."
  }
  validation {
    condition     = var.alarms.firehose_delivery.threshold > 0 && var.alarms.firehose_delivery.threshold <= 1
    error_message = "alarms.firehose_delivery.threshold is a success ratio: above 0 and at most 1 (the alarm fires below it)."
  }
  validation {
    condition     = var.alarms.firehose_freshness.threshold == null || try(var.alarms.firehose_freshness.threshold >= 60, false)
    error_message = "alarms.firehose_freshness.threshold must be null (twice the buffering interval) or at least 60 seconds."
  }
  validation {
    condition     = var.alarms.sms_spend.monthly_limit_usd == null || try(var.alarms.sms_spend.monthly_limit_usd >= 1, false)
    error_message = "alarms.sms_spend.monthly_limit_usd must be null or the account's monthly SMS spend limit in USD (at least 1; aws pinpoint-sms-voice-v2 describe-spend-limits)."
  }
}
