output "configuration_set_name" {
  description = "Configuration set to pass on every send (CONFIGURATION_SET_NAME); without it no events are emitted."
  value       = var.configuration_set.create ? aws_pinpointsmsvoicev2_configuration_set.this[0].name : local.configuration_set_name
}

output "configuration_set_arn" {
  description = "ARN of the configuration set."
  value       = var.configuration_set.create ? aws_pinpointsmsvoicev2_configuration_set.this[0].arn : local.configuration_set_arn
}

output "opt_out_list_name" {
  description = "Opt-out list attached to the requested phone numbers (created or existing)."
  value       = var.opt_out_list.create ? aws_pinpointsmsvoicev2_opt_out_list.this[0].name : local.opt_out_list_name
}

output "origination_identity" {
  description = "Default origination identity for the send function (DEFAULT_ORIGINATION_IDENTITY), or null when there is none."
  value       = local.default_origination_identity
}

output "origination_identity_arns" {
  description = "Every origination identity the send policy allows: pools, phone numbers (existing, then requested), sender IDs."
  value       = local.origination_identity_arns
}

output "phone_numbers" {
  description = "Requested phone numbers by key: ARN, ID and the number itself (E.164)."
  value = {
    for key, number in aws_pinpointsmsvoicev2_phone_number.this : key => {
      arn          = number.arn
      id           = number.id
      phone_number = number.phone_number
    }
  }
}

output "send_policy_statements" {
  description = "IAM statements the send function needs, as list(object({sid, actions, resources})) for modules/function's policy_statements."
  value       = local.send_policy_statements
}

output "pinpoint_application_id" {
  description = "LEGACY: Pinpoint v1 application ID (PINPOINT_APPLICATION_ID for SMS_API=v1), null unless legacy_pinpoint.enabled."
  value       = var.legacy_pinpoint.enabled ? aws_pinpoint_app.legacy[0].application_id : null
}

output "event_destination_role_arn" {
  description = "Role End User Messaging assumes to write events to Firehose, null without an event destination."
  value       = var.event_destination == null ? null : aws_iam_role.event_destination[0].arn
}

output "default_event_types" {
  description = "The event types an event destination matches unless told otherwise: every text event type, plus those of the channels sent."
  value       = local.default_event_types
}
