variable "name" {
  description = "Function name; also names its IAM role and its log group (/aws/lambda/<name>)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits, '-' or '_' (a Lambda function name that is also a valid IAM role name)."
  }
}

variable "description" {
  description = "Function description."
  type        = string
  default     = ""
  nullable    = false
}

variable "package" {
  description = "The deployment package: `filename` is a zip built by `make build` (dist/<name>.zip). Its SHA-256 is the update trigger, so a rebuilt identical zip changes nothing."
  type = object({
    filename = string
  })
  nullable = false

  validation {
    condition     = endswith(var.package.filename, ".zip")
    error_message = "package.filename must be the path of a .zip file."
  }
}

variable "handler" {
  description = "Entry point, `module.function` inside the zip."
  type        = string
  default     = "handler.handler"
  nullable    = false
}

variable "runtime" {
  description = "Lambda runtime (a Python 3 runtime: the functions are Python)."
  type        = string
  default     = "python3.13"
  nullable    = false

  validation {
    condition     = can(regex("^python3\\.[0-9]+$", var.runtime))
    error_message = "runtime must be a Python 3 Lambda runtime such as \"python3.13\"."
  }
}

variable "architecture" {
  description = "Instruction set: arm64 (Graviton, cheaper per GB-second) or x86_64. Must match the platform the zip's wheels were built for (`make build ARCH=...`)."
  type        = string
  default     = "arm64"
  nullable    = false

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be \"arm64\" or \"x86_64\"."
  }
}

variable "memory_size" {
  description = "Memory in MB (CPU scales with it)."
  type        = number
  default     = 256
  nullable    = false

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB between 128 and 10240."
  }
}

variable "timeout" {
  description = "Timeout in seconds."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds between 1 and 900."
  }
}

variable "environment" {
  description = "Environment variables (not secrets: they are visible to anyone who can read the function's configuration)."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions: caps the function and guarantees it that capacity. null leaves it unreserved; 0 stops all invocations."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrency == null || try(var.reserved_concurrency >= 0 && floor(var.reserved_concurrency) == var.reserved_concurrency, false)
    error_message = "reserved_concurrency must be null or a whole number >= 0."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing: null (off), \"Active\" or \"PassThrough\". Grants the X-Ray write permissions only when set."
  type        = string
  default     = null

  validation {
    condition     = var.tracing_mode == null || contains(["Active", "PassThrough"], coalesce(var.tracing_mode, "-"))
    error_message = "tracing_mode must be null, \"Active\" or \"PassThrough\"."
  }
}

variable "log_format" {
  description = "Lambda log format for platform records (START/END/REPORT): \"JSON\" or \"Text\". The functions write their own records as JSON lines either way."
  type        = string
  default     = "JSON"
  nullable    = false

  validation {
    condition     = contains(["JSON", "Text"], var.log_format)
    error_message = "log_format must be \"JSON\" or \"Text\"."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's log group, in days (one of the values CloudWatch Logs accepts; 0 keeps logs forever)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains(local.log_retention_values, var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value in days, one of ${join(", ", local.log_retention_values)} (0: never expire)."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key ARN that encrypts the log group and the environment variables (null: AWS owned keys). Its key policy must allow the CloudWatch Logs service principal of this region."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(var.kms_key_arn, "-")))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
  }
}

variable "policy_statements" {
  description = "What the function may do, beyond writing its own logs: IAM statements on exact resource ARNs, attached as the role's inline policy."
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

  validation {
    condition     = alltrue([for s in var.policy_statements : contains(["Allow", "Deny"], s.effect)])
    error_message = "policy_statements[*].effect must be \"Allow\" or \"Deny\"."
  }

  validation {
    condition     = alltrue([for s in var.policy_statements : length(s.actions) > 0 && length(s.resources) > 0 && !contains(s.actions, "*")])
    error_message = "policy_statements[*] need at least one action and one resource, and an action of \"*\" is not allowed (least privilege)."
  }
}

variable "role_path" {
  description = "IAM path of every role this module creates (the execution role)."
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

variable "tags" {
  description = "Tags for every resource of this module."
  type        = map(string)
  default     = {}
  nullable    = false
}
