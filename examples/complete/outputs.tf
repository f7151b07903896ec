output "api_endpoint_url" {
  description = "URL to paste into AJO's custom action."
  value       = module.ajo_sms.api_endpoint_url
}

output "api_custom_domain_target" {
  description = "Point the custom domain's Route 53 alias (or CNAME) here."
  value       = module.ajo_sms.api_custom_domain_target
}

output "api_custom_domain_zone_id" {
  description = "Hosted zone ID of the alias target above."
  value       = module.ajo_sms.api_custom_domain_zone_id
}

output "ajo_custom_action_json" {
  description = "The custom action configuration as JSON."
  value       = module.ajo_sms.ajo_custom_action_json
}

output "api_key_read_command" {
  description = "Prints the API key for AJO's header field."
  value       = module.ajo_sms.api_key_read_command
}

output "events_bucket_name" {
  description = "Where delivery events land."
  value       = module.ajo_sms.events_bucket_name
}

output "ajo_sms_provider_json" {
  description = "The AJO SMS channel's custom provider configuration as JSON."
  value       = module.ajo_sms.ajo_sms_provider_json
}

output "two_way" {
  description = "Two-way topic, queues, inbound function and the command that attaches an existing number."
  value       = module.ajo_sms.two_way
}

output "whatsapp_event_topic_arn" {
  description = "Set it as the WhatsApp Business Account's event destination (End User Messaging Social console)."
  value       = module.ajo_sms.whatsapp_event_topic_arn
}
