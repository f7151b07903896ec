output "api_endpoint_url" {
  description = "URL to paste into AJO's custom action."
  value       = module.ajo_sms.api_endpoint_url
}

output "api_key_read_command" {
  description = "Prints the API key for AJO's header field."
  value       = module.ajo_sms.api_key_read_command
}

output "ajo_custom_action" {
  description = "The whole custom action configuration."
  value       = module.ajo_sms.ajo_custom_action
}
