variable "name" {
  description = "Bucket name (globally unique)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "name must be a valid S3 bucket name (3-63 lower-case letters, digits, '.' or '-')."
  }
}

variable "purpose" {
  description = "What the objects are, in the lifecycle rule's ID (expire-<purpose>)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,40}$", var.purpose))
    error_message = "purpose must be 1-41 lower-case letters, digits or '-', starting with a letter."
  }
}

variable "encryption" {
  description = "SSE-KMS with `kms_key_arn` when `sse_kms` (a flag, so a key made in the same apply can be used), else SSE-S3."
  type = object({
    sse_kms     = bool
    kms_key_arn = optional(string)
  })
  nullable = false

  validation {
    condition     = !var.encryption.sse_kms || var.encryption.kms_key_arn != null
    error_message = "encryption.kms_key_arn is required when encryption.sse_kms is true."
  }
}

variable "force_destroy" {
  description = "Let destroy delete a bucket that still holds objects."
  type        = bool
  default     = false
  nullable    = false
}

variable "versioning" {
  description = "Keep object versions (noncurrent ones expire after noncurrent_expiration_days)."
  type        = bool
  default     = false
  nullable    = false
}

variable "expiration_days" {
  description = "Objects expire this many days after creation; 0 keeps them forever."
  type        = number
  nullable    = false

  validation {
    condition     = var.expiration_days >= 0 && floor(var.expiration_days) == var.expiration_days
    error_message = "expiration_days must be a whole number of days (0 keeps objects forever)."
  }
}

variable "noncurrent_expiration_days" {
  description = "With versioning, noncurrent versions expire after this many days."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.noncurrent_expiration_days >= 1 && floor(var.noncurrent_expiration_days) == var.noncurrent_expiration_days
    error_message = "noncurrent_expiration_days must be a whole number of days, at least 1."
  }
}

variable "tags" {
  description = "Tags for the bucket."
  type        = map(string)
  default     = {}
  nullable    = false
}
