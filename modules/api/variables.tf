variable "name" {
  description = "Name of the REST API; prefixes its authorizer, log group and IAM role."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits, '-' or '_'."
  }
}

variable "description" {
  description = "Description of the REST API."
  type        = string
  default     = "SMS sending endpoint for Adobe Journey Optimizer custom actions"
  nullable    = false
}

variable "send_function" {
  description = "The SMS send Lambda (modules/function outputs): proxied by POST /<path_part>."
  type = object({
    function_name = string
    invoke_arn    = string
  })
  nullable = false
}

variable "authorizer_function" {
  description = "The API-key TOKEN authorizer Lambda (modules/function outputs)."
  type = object({
    function_name = string
    invoke_arn    = string
  })
  nullable = false
}

variable "auth_header_name" {
  description = "Request header that carries the API key (CONTRACT.md: default x-api-key)."
  type        = string
  default     = "x-api-key"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,127}$", var.auth_header_name)) && lower(var.auth_header_name) != "host"
    error_message = "auth_header_name must be an HTTP header name: letters, digits and '-', starting with a letter or digit."
  }
}

variable "authorizer" {
  description = <<-EOT
    TOKEN authorizer settings:
    - identity_validation_expression: regex API Gateway checks the header against
      before invoking the authorizer (a mismatch is a 401 that costs no Lambda call).
      The default accepts 16-512 printable ASCII characters without spaces.
    - result_ttl_seconds: how long API Gateway caches an Allow per key (0-3600).
      With the authorizer's own key cache, a revoked key stops working within
      the sum of both TTLs.
  EOT
  type = object({
    identity_validation_expression = optional(string, "^[!-~]{16,512}$")
    result_ttl_seconds             = optional(number, 300)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.authorizer.result_ttl_seconds >= 0 && var.authorizer.result_ttl_seconds <= 3600 && floor(var.authorizer.result_ttl_seconds) == var.authorizer.result_ttl_seconds
    error_message = "authorizer.result_ttl_seconds must be a whole number between 0 and 3600."
  }

  validation {
    # API Gateway evaluates it as a Java regex, so it cannot be checked here.
    condition     = length(var.authorizer.identity_validation_expression) > 0
    error_message = "authorizer.identity_validation_expression must be a non-empty regular expression."
  }
}

variable "path_part" {
  description = "Path of the one resource AJO POSTs to: https://.../<stage_name>/<path_part>."
  type        = string
  default     = "sms"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.path_part))
    error_message = "path_part must be one path segment of letters, digits, '.', '_' or '-'."
  }
}

variable "stage_name" {
  description = "Stage name, the first path segment of the URL."
  type        = string
  default     = "v1"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name must be letters, digits, '-' or '_' (at most 128)."
  }
}

variable "throttling" {
  description = <<-EOT
    Stage-wide throttling, in requests per second. Keep rate_limit at 200 or
    more: AJO cannot be throttled below 200 calls/s, and calls over a lower
    limit get 429 and, after AJO's 3 retries, are lost (a check warns below
    200). Do not lower it to the senders' SMS throughput (MPS): pace sends
    with queued delivery, whose queue absorbs AJO's burst. Set AJO's custom
    action throttling at or below rate_limit.
  EOT
  type = object({
    rate_limit  = optional(number, 200)
    burst_limit = optional(number, 400)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.throttling.rate_limit > 0 && var.throttling.burst_limit >= 1 && floor(var.throttling.burst_limit) == var.throttling.burst_limit
    error_message = "throttling.rate_limit must be > 0 and throttling.burst_limit a whole number >= 1."
  }
}

variable "logging" {
  description = <<-EOT
    Stage logging. Access logs (one JSON line per request: request ID, status,
    latencies, authorizer outcome; never the body or the API-key header) are
    always on. execution_level adds API Gateway execution logs (OFF or ERROR:
    INFO could record request details). API Gateway needs the account-level
    CloudWatch role to write either kind: see manage_account_cloudwatch_role.
  EOT
  type = object({
    retention_days  = optional(number, 30)
    kms_key_arn     = optional(string)
    execution_level = optional(string, "OFF")
    metrics_enabled = optional(bool, true)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(local.log_retention_values, var.logging.retention_days)
    error_message = "logging.retention_days must be a CloudWatch Logs retention value in days, one of ${join(", ", local.log_retention_values)} (0: never expire)."
  }

  validation {
    condition     = contains(["OFF", "ERROR"], var.logging.execution_level)
    error_message = "logging.execution_level must be \"OFF\" or \"ERROR\"."
  }

  validation {
    condition     = var.logging.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$", coalesce(var.logging.kms_key_arn, "-")))
    error_message = "logging.kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)."
  }
}

variable "xray_tracing_enabled" {
  description = "Enable X-Ray tracing on the stage."
  type        = bool
  default     = false
  nullable    = false
}

variable "allowed_source_cidrs" {
  description = "If not empty, a resource policy denies every caller outside these CIDR blocks (for AJO's static-IP egress option). Empty: no IP restriction. Blocks are written in network form (203.0.113.0/24, not 203.0.113.7/24); 0.0.0.0/0 and ::/0 are refused, as they restrict nothing."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for c in var.allowed_source_cidrs : can(cidrhost(c, 0))])
    error_message = "allowed_source_cidrs must be CIDR blocks such as \"203.0.113.0/24\"."
  }

  validation {
    condition     = alltrue([for c in var.allowed_source_cidrs : !can(cidrhost(c, 0)) || !contains(["0.0.0.0/0", "::/0"], try(cidrsubnet(c, 0, 0), c))])
    error_message = "allowed_source_cidrs must not contain 0.0.0.0/0 or ::/0: they allow every caller. Leave the list empty for no IP restriction."
  }

  validation {
    # cidrsubnet(c, 0, 0) is the block with its host bits cleared.
    condition     = alltrue([for c in var.allowed_source_cidrs : !can(cidrhost(c, 0)) || try(cidrsubnet(c, 0, 0) == c, false)])
    error_message = "allowed_source_cidrs must be written in network form with no host bits set, such as \"203.0.113.0/24\" (not \"203.0.113.7/24\")."
  }
}

variable "waf_web_acl_arn" {
  description = "ARN of a regional WAFv2 web ACL to associate with the stage (null: none)."
  type        = string
  default     = null

  validation {
    condition     = var.waf_web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:regional/webacl/.+$", coalesce(var.waf_web_acl_arn, "-")))
    error_message = "waf_web_acl_arn must be a regional WAFv2 web ACL ARN (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID)."
  }
}

variable "custom_domain" {
  description = <<-EOT
    Optional custom domain (regional endpoint): domain_name, an ACM
    certificate_arn in the same region, an optional base_path, and the TLS
    security_policy (TLS 1.2 at least). The default execute-api endpoint is
    then disabled, so every call goes through the domain and its TLS policy.
    Point a DNS alias at the outputs custom_domain_target / custom_domain_zone_id.
  EOT
  type = object({
    domain_name     = string
    certificate_arn = string
    base_path       = optional(string)
    security_policy = optional(string, "TLS_1_2")
  })
  default = null

  validation {
    condition     = var.custom_domain == null || try(var.custom_domain.security_policy != "TLS_1_0", false)
    error_message = "custom_domain.security_policy must allow TLS 1.2 or later only (\"TLS_1_2\" or a \"SecurityPolicy_TLS1*\" policy), not TLS_1_0."
  }

  validation {
    condition     = var.custom_domain == null || try(can(regex("^arn:aws[a-z-]*:acm:", var.custom_domain.certificate_arn)), false)
    error_message = "custom_domain.certificate_arn must be an ACM certificate ARN."
  }
}

variable "manage_account_cloudwatch_role" {
  description = "Create the IAM role API Gateway uses to write CloudWatch logs and set it in this region's API Gateway account settings. Account-wide (one per account and region, shared by every API): enable only where nothing else manages it."
  type        = bool
  default     = false
  nullable    = false
}

variable "tags" {
  description = "Tags for every resource of this module."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "role_path" {
  description = "IAM path of every role this module creates (the account's API Gateway CloudWatch role, when managed)."
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
