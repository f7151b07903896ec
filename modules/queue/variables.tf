variable "queues" {
  description = "The queues feeding the function: key => queue name (standard queues; the key `dlq` is taken)."
  type        = map(string)
  nullable    = false

  validation {
    condition     = length(var.queues) > 0 && !contains(keys(var.queues), "dlq")
    error_message = "queues must name at least one queue, and none under the key \"dlq\"."
  }
  validation {
    condition     = alltrue([for name in values(var.queues) : can(regex("^[A-Za-z0-9_-]{1,80}$", name))])
    error_message = "each queue name must be 1-80 letters, digits, '-' or '_' (a standard SQS queue name)."
  }
}

variable "dead_letter_queue_name" {
  description = "Name of the dead-letter queue the queues share."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,80}$", var.dead_letter_queue_name))
    error_message = "dead_letter_queue_name must be 1-80 letters, digits, '-' or '_' (a standard SQS queue name)."
  }
}

variable "max_receive_count" {
  description = "Receives of a message before SQS moves it to the dead-letter queue."
  type        = number
  nullable    = false

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000 && floor(var.max_receive_count) == var.max_receive_count
    error_message = "max_receive_count must be a whole number from 1 to 1000 (SQS's range)."
  }
}

variable "consumer" {
  description = "The function the queues feed: its ARN and timeout (the queues' visibility timeout is 6x it), records per batch, and the most concurrent invocations per queue."
  type = object({
    function_arn        = string
    timeout             = number
    batch_size          = number
    maximum_concurrency = number
  })
  nullable = false

  validation {
    condition     = var.consumer.maximum_concurrency >= 2 && var.consumer.maximum_concurrency <= 1000
    error_message = "consumer.maximum_concurrency must be from 2 to 1000 (the event source mapping's range)."
  }
  validation {
    condition     = var.consumer.batch_size >= 1 && var.consumer.batch_size <= 10000
    error_message = "consumer.batch_size must be from 1 to 10000."
  }
  validation {
    condition     = var.consumer.timeout >= 1 && var.consumer.timeout <= 900
    error_message = "consumer.timeout must be from 1 to 900 seconds (Lambda's range)."
  }
}

variable "publisher" {
  description = "The AWS service that sends to the queues (the queue policy's only sender), from `source_arn` and, when given, `source_account`; null: none but IAM principals."
  type = object({
    sid            = string
    service        = string
    source_arn     = string
    source_account = optional(string)
  })
  default = null
}

variable "kms_key_arn" {
  description = "KMS key for the queues' SSE (its policy must admit the publisher); null: SQS-managed SSE."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for the queues."
  type        = map(string)
  default     = {}
}
