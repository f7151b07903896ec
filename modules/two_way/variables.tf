variable "name" {
  description = "Prefix of this module's resources: topic, queue and function `<name>-sms-inbound`, DLQ `<name>-sms-inbound-dlq`, table `<name>-inbound`."
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
  description = <<-EOT
    Customer managed KMS key (symmetric) for the queues, the table, the function's logs and
    environment (the topic always has a key of its own: End User Messaging cannot use the
    AWS-managed alias/aws/sns key). Null: SQS-managed SSE and AWS owned keys. Its key policy
    must allow `sns.amazonaws.com` kms:GenerateDataKey* and kms:Decrypt (to deliver to the
    encrypted queue) and CloudWatch Logs.
  EOT
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(var.kms_key_arn, "-")))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID): the key policies and grants name it, so an alias would not match."
  }
}

variable "package" {
  description = "The inbound function's zip (dist/sms_inbound.zip from `make build`)."
  type = object({
    filename = string
  })
  nullable = false
}

variable "function" {
  description = <<-EOT
    Inbound Lambda settings. The queue's visibility timeout is 6 x `timeout`. `max_attempts`
    and `http_timeout_seconds` bound each webhook post, so `timeout` must exceed their product.
  EOT
  type = object({
    runtime                   = optional(string, "python3.13")
    architecture              = optional(string, "arm64")
    memory_size               = optional(number, 256)
    timeout                   = optional(number, 60)
    reserved_concurrency      = optional(number)
    log_retention_days        = optional(number, 30)
    log_level                 = optional(string, "INFO")
    tracing_mode              = optional(string)
    role_path                 = optional(string, "/")
    role_permissions_boundary = optional(string)
    max_attempts              = optional(number, 3)
    http_timeout_seconds      = optional(number, 5)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.function.timeout >= 10 && var.function.timeout <= 900 && floor(var.function.timeout) == var.function.timeout
    error_message = "function.timeout must be a whole number of seconds, 10-900."
  }
  validation {
    condition     = var.function.timeout > var.function.max_attempts * var.function.http_timeout_seconds
    error_message = "function.timeout must exceed function.max_attempts x function.http_timeout_seconds (one message's webhook posts), or every slow webhook would time the batch out."
  }
  validation {
    condition     = var.function.max_attempts >= 1 && var.function.max_attempts <= 10 && floor(var.function.max_attempts) == var.function.max_attempts
    error_message = "function.max_attempts must be a whole number, 1-10."
  }
  validation {
    condition     = var.function.http_timeout_seconds >= 1 && var.function.http_timeout_seconds <= 30
    error_message = "function.http_timeout_seconds must be 1-30 seconds."
  }
  validation {
    condition     = var.function.reserved_concurrency == null || try(var.function.reserved_concurrency >= 1 && floor(var.function.reserved_concurrency) == var.function.reserved_concurrency, false)
    error_message = "function.reserved_concurrency must be null (unreserved) or a whole number >= 1 (0 would leave every inbound message to the DLQ)."
  }
  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR"], var.function.log_level)
    error_message = "function.log_level must be DEBUG, INFO, WARNING or ERROR."
  }
}

variable "queue" {
  description = "Inbound queue: receives before a message goes to the DLQ (`max_receive_count`, 1-1000), and the event source mapping's `batch_size` (1-10) and `maximum_concurrency` (2-1000)."
  type = object({
    max_receive_count   = optional(number, 5)
    batch_size          = optional(number, 10)
    maximum_concurrency = optional(number, 2)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.queue.max_receive_count >= 1 && var.queue.max_receive_count <= 1000 && floor(var.queue.max_receive_count) == var.queue.max_receive_count
    error_message = "queue.max_receive_count must be a whole number, 1-1000 (SQS's redrive limits)."
  }
  validation {
    condition     = var.queue.batch_size >= 1 && var.queue.batch_size <= 10 && floor(var.queue.batch_size) == var.queue.batch_size
    error_message = "queue.batch_size must be a whole number, 1-10 (above 10, SQS event sources need a batching window)."
  }
  validation {
    condition     = var.queue.maximum_concurrency >= 2 && var.queue.maximum_concurrency <= 1000 && floor(var.queue.maximum_concurrency) == var.queue.maximum_concurrency
    error_message = "queue.maximum_concurrency must be a whole number, 2-1000 (the limits of an SQS event source's maximum concurrency)."
  }
}

variable "self_managed_opt_outs" {
  description = "true: the numbers have self-managed opt-outs, so AWS no longer answers STOP/HELP; the function puts opt-outs into (and opt-ins out of) `opt_out_list_name` and sends the replies. false: AWS does both, the function only forwards."
  type        = bool
  default     = false
  nullable    = false
}

variable "opt_out_list_name" {
  description = "The numbers' opt-out list (modules/messaging's `opt_out_list_name`). Required with self-managed opt-outs."
  type        = string
  default     = null

  validation {
    condition     = var.opt_out_list_name != null || !var.self_managed_opt_outs
    error_message = "opt_out_list_name is required when self_managed_opt_outs is true: the function keeps opt-outs there, and without it a STOP would be lost."
  }
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", coalesce(var.opt_out_list_name, "x")))
    error_message = "opt_out_list_name must be 1-64 characters of letters, digits, '_' or '-'."
  }
}

variable "configuration_set_name" {
  description = "Configuration set the replies name (their delivery events then reach the event export); null: none."
  type        = string
  default     = null
}

variable "send_policy_statements" {
  description = "IAM statements that allow SendTextMessage on the origination identities and the configuration set (modules/messaging's `send_policy_statements`); granted in self-managed mode only, for the replies."
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
  default  = []
  nullable = false
}

variable "keywords" {
  description = <<-EOT
    Keywords by category, matched against the whole message (trimmed, case-folded, trailing
    punctuation removed): `opt_out`, `opt_in`, `help` and `custom` (forwarded with
    KeywordCategory CUSTOM). 1-30 characters, no spaces, each in one category only.
  EOT
  type = object({
    opt_out = optional(list(string), ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "OPT-OUT", "REMOVE", "ARRET", "TD"])
    opt_in  = optional(list(string), ["START", "UNSTOP", "SUBSCRIBE", "RESUME", "BEGIN", "CONTINUE"])
    help    = optional(list(string), ["HELP", "AIDE", "INFO"])
    custom  = optional(list(string), [])
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in flatten(values(var.keywords)) : can(regex("^[^\\s]{0,29}[^\\s.!?,;:]$", k))])
    error_message = "keywords must be 1-30 characters without spaces, not ending in . ! ? , ; or : (trailing punctuation is removed before matching, so such a keyword never matches): ${join(", ", [for k in flatten(values(var.keywords)) : jsonencode(k) if !can(regex("^[^\\s]{0,29}[^\\s.!?,;:]$", k))])}."
  }
  validation {
    condition     = length(distinct([for k in flatten(values(var.keywords)) : lower(k)])) == length(flatten(values(var.keywords)))
    error_message = "keywords must be unique across opt_out, opt_in, help and custom (case-insensitive): a message matches one category only."
  }
  validation {
    condition     = length(var.keywords.opt_out) > 0 || !var.self_managed_opt_outs
    error_message = "keywords.opt_out must not be empty with self-managed opt-outs: recipients must be able to opt out."
  }
}

variable "replies" {
  description = "Replies sent from the number texted, in self-managed mode only (AWS answers otherwise); empty: no reply. At most 1600 characters (10 SMS parts)."
  type = object({
    opt_out = optional(string, "You are unsubscribed and will receive no more messages. Reply START to resubscribe.")
    opt_in  = optional(string, "You are subscribed again. Reply STOP to unsubscribe, HELP for help.")
    help    = optional(string, "Reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply.")
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for r in values(var.replies) : length(r) <= 1600])
    error_message = "replies must be at most 1600 characters each (the SMS API's message limit)."
  }
}

variable "ajo_inbound_webhook" {
  description = <<-EOT
    AJO's inbound webhook (the URL AJO generates for the SMS channel's inbound messages); null:
    none. `secret_arn`: Secrets Manager secret whose SecretString is sent in `header_name`;
    `secret_kms_key_arn`: the customer key that secret is encrypted with, if any.
  EOT
  type = object({
    url                = string
    secret_arn         = optional(string)
    secret_kms_key_arn = optional(string)
    header_name        = optional(string, "x-ajo-webhook-secret")
  })
  default = null

  validation {
    condition     = var.ajo_inbound_webhook == null || can(regex("^https://[^/\\s]+(/\\S*)?$", var.ajo_inbound_webhook.url))
    error_message = "ajo_inbound_webhook.url must be an https:// URL (inbound messages carry phone numbers and texts)."
  }
  validation {
    condition     = var.ajo_inbound_webhook == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", coalesce(try(var.ajo_inbound_webhook.secret_arn, null), "arn:aws:secretsmanager:r:000000000000:secret:x")))
    error_message = "ajo_inbound_webhook.secret_arn must be a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)."
  }
  validation {
    condition     = var.ajo_inbound_webhook == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(try(var.ajo_inbound_webhook.secret_kms_key_arn, null), "arn:aws:kms:r:000000000000:key/00000000-0000-0000-0000-000000000000")))
    error_message = "ajo_inbound_webhook.secret_kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
  }
  validation {
    condition     = var.ajo_inbound_webhook == null || can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$", try(var.ajo_inbound_webhook.header_name, "")))
    error_message = "ajo_inbound_webhook.header_name must be an HTTP header token (letters, digits, hyphens; at most 63 characters)."
  }
}

variable "events_stream_name" {
  description = "Firehose stream of the event export (modules/event_export) that each inbound message is put to as a TEXT_INBOUND event; null: none."
  type        = string
  default     = null
}
