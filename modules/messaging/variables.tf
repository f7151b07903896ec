variable "name" {
  description = "Name shared by this module's resources (configuration set, opt-out list, IAM role prefix)."
  type        = string
  nullable    = false

  validation {
    # The configuration set and opt-out list names share the SMS API's pattern.
    condition     = can(regex("^[A-Za-z0-9_-]{1,48}$", var.name))
    error_message = "name must be 1-48 characters of letters, digits, '_' or '-' (the SMS API's name pattern, leaving room for suffixes)."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "role_path" {
  description = "IAM path of every role this module creates (the role End User Messaging writes events to Firehose with)."
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

variable "configuration_set" {
  description = <<-EOT
    The configuration set every send names (no events are emitted without one).
    `name` defaults to `var.name`; `default_sender_id` is used only where sender
    IDs are supported and no dedicated identity is available. `create = false`
    uses the existing configuration set `name` (the event destination is then
    added to it; its defaults are left as they are).
  EOT
  type = object({
    create               = optional(bool, true)
    name                 = optional(string)
    default_message_type = optional(string, "TRANSACTIONAL")
    default_sender_id    = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.configuration_set.name == null || can(regex("^[A-Za-z0-9_-]{1,64}$", var.configuration_set.name))
    error_message = "configuration_set.name must be 1-64 characters of letters, digits, '_' or '-'."
  }
  validation {
    condition     = var.configuration_set.create || var.configuration_set.name != null
    error_message = "configuration_set.name is required when configuration_set.create is false (the name of the existing configuration set)."
  }
  validation {
    condition     = contains(["TRANSACTIONAL", "PROMOTIONAL"], var.configuration_set.default_message_type)
    error_message = "configuration_set.default_message_type must be TRANSACTIONAL or PROMOTIONAL."
  }
  validation {
    condition     = var.configuration_set.default_sender_id == null || can(regex("^[A-Za-z0-9_-]{1,11}$", var.configuration_set.default_sender_id))
    error_message = "configuration_set.default_sender_id must be 1-11 characters of letters, digits, '_' or '-'."
  }
}

variable "opt_out_list" {
  description = <<-EOT
    Opt-out list for requested phone numbers. `create = true` creates one named
    `name` (default `var.name`); `create = false` uses the existing list `name`.
    Existing identities keep the opt-out list they already have.
  EOT
  type = object({
    create = optional(bool, true)
    name   = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.opt_out_list.name == null || can(regex("^[A-Za-z0-9_-]{1,64}$", var.opt_out_list.name))
    error_message = "opt_out_list.name must be 1-64 characters of letters, digits, '_' or '-'."
  }
  validation {
    condition     = var.opt_out_list.create || var.opt_out_list.name != null
    error_message = "opt_out_list.name is required when opt_out_list.create is false (the name of the existing list)."
  }
}

variable "origination_identities" {
  description = <<-EOT
    Existing origination identities, by ARN: phone numbers, sender IDs and pools
    (the common case: 10DLC and toll-free registration takes weeks, so numbers
    are registered once, outside Terraform). The send policy allows exactly these.
  EOT
  type = object({
    phone_number_arns = optional(list(string), [])
    sender_id_arns    = optional(list(string), [])
    pool_arns         = optional(list(string), [])
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for arn in var.origination_identities.phone_number_arns : can(regex(local.arn_patterns.phone_number, arn))])
    error_message = "origination_identities.phone_number_arns: not a phone number ARN (arn:aws:sms-voice:REGION:ACCOUNT:phone-number/phone-<32 hex>): ${join(", ", [for arn in var.origination_identities.phone_number_arns : arn if !can(regex(local.arn_patterns.phone_number, arn))])}."
  }
  validation {
    condition     = alltrue([for arn in var.origination_identities.sender_id_arns : can(regex(local.arn_patterns.sender_id, arn))])
    error_message = "origination_identities.sender_id_arns: not a sender ID ARN (arn:aws:sms-voice:REGION:ACCOUNT:sender-id/SENDERID/CC): ${join(", ", [for arn in var.origination_identities.sender_id_arns : arn if !can(regex(local.arn_patterns.sender_id, arn))])}."
  }
  validation {
    condition     = alltrue([for arn in var.origination_identities.pool_arns : can(regex(local.arn_patterns.pool, arn))])
    error_message = "origination_identities.pool_arns: not a pool ARN (arn:aws:sms-voice:REGION:ACCOUNT:pool/pool-<32 hex>): ${join(", ", [for arn in var.origination_identities.pool_arns : arn if !can(regex(local.arn_patterns.pool, arn))])}."
  }
}

variable "phone_numbers" {
  description = <<-EOT
    Phone numbers to request, keyed by a stable name. `number_type = "SIMULATOR"`
    gives a simulator number that accepts sends without delivering to a phone
    (for tests). Deletion protection defaults to on for every type but SIMULATOR.
  EOT
  type = map(object({
    iso_country_code              = string
    number_type                   = string
    message_type                  = optional(string, "TRANSACTIONAL")
    number_capabilities           = optional(list(string), ["SMS"])
    deletion_protection_enabled   = optional(bool)
    self_managed_opt_outs_enabled = optional(bool, false)
    registration_id               = optional(string)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for key in keys(var.phone_numbers) : can(regex("^[A-Za-z0-9_-]{1,64}$", key))])
    error_message = "phone_numbers keys must be 1-64 characters of letters, digits, '_' or '-'."
  }
  validation {
    condition     = alltrue([for v in values(var.phone_numbers) : contains(local.iso_country_codes, v.iso_country_code)])
    error_message = "phone_numbers: iso_country_code must be an ISO 3166-1 alpha-2 code in upper case (e.g. US, GB); got: ${join(", ", distinct([for v in values(var.phone_numbers) : v.iso_country_code if !contains(local.iso_country_codes, v.iso_country_code)]))}."
  }
  validation {
    condition     = alltrue([for v in values(var.phone_numbers) : contains(["LONG_CODE", "TOLL_FREE", "TEN_DLC", "SIMULATOR"], v.number_type)])
    error_message = "phone_numbers: number_type must be one of LONG_CODE, TOLL_FREE, TEN_DLC, SIMULATOR."
  }
  validation {
    condition     = alltrue([for v in values(var.phone_numbers) : contains(["TRANSACTIONAL", "PROMOTIONAL"], v.message_type)])
    error_message = "phone_numbers: message_type must be TRANSACTIONAL or PROMOTIONAL."
  }
  validation {
    condition     = alltrue([for v in values(var.phone_numbers) : length(v.number_capabilities) > 0 && alltrue([for c in v.number_capabilities : contains(["SMS", "VOICE", "MMS"], c)])])
    error_message = "phone_numbers: number_capabilities must be a non-empty subset of SMS, VOICE, MMS."
  }
}

variable "default_origination_identity" {
  description = <<-EOT
    The identity the send function uses when a request names none: a key of
    `phone_numbers`, or one of the ARNs in `origination_identities`. Null picks
    the first pool, else phone number, else requested number, else sender ID.
  EOT
  type        = string
  default     = null

  validation {
    condition = var.default_origination_identity == null || anytrue([
      contains(keys(var.phone_numbers), coalesce(var.default_origination_identity, "-")),
      contains(local.existing_identity_arns, coalesce(var.default_origination_identity, "-")),
    ])
    error_message = "default_origination_identity must be a key of phone_numbers or one of the ARNs in origination_identities."
  }
}

variable "event_destination" {
  description = <<-EOT
    Delivery events of the configuration set to a Firehose stream (see
    modules/event_export). Null: no event destination. `matching_event_types`
    defaults to every text (SMS) event type the API accepts, plus the media
    (MMS) and voice ones of the channels sent (`channels`).
  EOT
  type = object({
    firehose_stream_arn  = string
    name                 = optional(string, "firehose")
    matching_event_types = optional(list(string))
    enabled              = optional(bool, true)
  })
  default = null

  validation {
    condition     = var.event_destination == null || can(regex("^arn:aws[a-z-]*:firehose:[a-z0-9-]+:[0-9]{12}:deliverystream/[A-Za-z0-9_.-]{1,64}$", var.event_destination.firehose_stream_arn))
    error_message = "event_destination.firehose_stream_arn must be a Firehose stream ARN (arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME)."
  }
  validation {
    condition     = var.event_destination == null || can(regex("^[A-Za-z0-9_-]{1,64}$", var.event_destination.name))
    error_message = "event_destination.name must be 1-64 characters of letters, digits, '_' or '-'."
  }
  validation {
    condition = var.event_destination == null || alltrue([
      for t in coalesce(try(var.event_destination.matching_event_types, null), ["ALL"]) : contains(local.accepted_event_types, t)
    ])
    error_message = "event_destination.matching_event_types: unknown event type(s) ${join(", ", [for t in coalesce(try(var.event_destination.matching_event_types, null), []) : t if !contains(local.accepted_event_types, t)])}; accepted: ${join(", ", local.accepted_event_types)}."
  }
  validation {
    condition     = var.event_destination == null || length(coalesce(try(var.event_destination.matching_event_types, null), ["ALL"])) > 0
    error_message = "event_destination.matching_event_types must not be empty (omit it for every text event type)."
  }
}

variable "legacy_pinpoint" {
  description = <<-EOT
    LEGACY: a Pinpoint v1 application with an SMS channel, for users still
    calling `SendMessages` (SMS_API=v1). Amazon Pinpoint's engagement features
    ended on 2026-10-30; SMS continues as AWS End User Messaging (v2), which is
    the default. Off unless `enabled = true`.
  EOT
  type = object({
    enabled    = optional(bool, false)
    sender_id  = optional(string)
    short_code = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.legacy_pinpoint.sender_id == null || can(regex("^[A-Za-z0-9_-]{1,11}$", coalesce(var.legacy_pinpoint.sender_id, "x")))
    error_message = "legacy_pinpoint.sender_id must be 1-11 characters of letters, digits, '_' or '-'."
  }
}

variable "two_way_channel" {
  description = <<-EOT
    Two-way SMS for the requested phone numbers (modules/two_way): `arn` is the SNS topic
    their inbound messages are published to (its topic policy must admit sms-voice.amazonaws.com),
    `self_managed_opt_outs` replaces each number's `self_managed_opt_outs_enabled` (true: AWS
    no longer answers STOP/HELP; the topic's subscriber must). Null: one-way numbers.
  EOT
  type = object({
    arn                   = string
    self_managed_opt_outs = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.two_way_channel == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", try(var.two_way_channel.arn, "")))
    error_message = "two_way_channel.arn must be a standard SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME; FIFO topics are not supported for two-way SMS)."
  }
}

variable "channels" {
  description = "Channels sent besides SMS: each adds its send action to the send policy (SendMediaMessage, SendVoiceMessage) and its event types to the default event destination."
  type = object({
    mms   = optional(bool, false)
    voice = optional(bool, false)
  })
  default  = {}
  nullable = false
}
