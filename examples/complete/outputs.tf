output "api_endpoint_url" {
  description = "URL to paste into AJO's custom action."
  value       = module.ajo_sms.api_endpoint_url
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
