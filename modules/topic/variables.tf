variable "name" {
  description = "Topic name (standard, not FIFO: the AWS services that publish here do not publish to FIFO topics); the key's alias is alias/<name>."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", var.name))
    error_message = "name must be 1-256 letters, digits, '-' or '_' (an SNS standard topic name)."
  }
}

variable "publisher" {
  description = "The AWS service that publishes: its principal, the statement ID, the aws:SourceArn patterns it publishes from ([]: this account only), and whether the key policy checks them too."
  type = object({
    service               = string
    sid                   = string
    source_arns           = optional(list(string), [])
    key_checks_source_arn = optional(bool, true)
  })
  nullable = false

  validation {
    condition     = can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", var.publisher.service))
    error_message = "publisher.service must be an AWS service principal, e.g. sms-voice.amazonaws.com."
  }
  validation {
    condition     = can(regex("^[A-Za-z0-9]{1,128}$", var.publisher.sid))
    error_message = "publisher.sid must be 1-128 letters or digits (an IAM statement ID)."
  }
}

variable "kms_key_arn" {
  description = "Key for the topic; null: a key of the topic's own, whose policy admits the publisher. A key given here must admit it already."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "key_description" {
  description = "Description of the topic's own key."
  type        = string
  nullable    = false
}

variable "owner_access" {
  description = "Keep what SNS's default topic policy grants the owning account (the policy here replaces it)."
  type        = bool
  default     = false
  nullable    = false
}

variable "tags" {
  description = "Tags for the key and the topic."
  type        = map(string)
  default     = {}
}
