output "api_endpoint_url" {
  description = "URL to paste into AJO's custom action."
  value       = module.ajo_sms.api_endpoint_url
}

output "pinpoint_application_id" {
  description = "The Pinpoint v1 application the send function calls."
  value       = module.ajo_sms.pinpoint_application_id
}
