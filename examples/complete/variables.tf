variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name prefix of every resource."
  type        = string
  default     = "ajo-sms"
}

variable "pool_arn" {
  description = "Existing End User Messaging SMS pool (the default origination identity)."
  type        = string
  default     = "arn:aws:sms-voice:us-east-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef"
}

variable "sender_id_arn" {
  description = "Existing registered sender ID, for countries that support one."
  type        = string
  default     = "arn:aws:sms-voice:us-east-1:123456789012:sender-id/ACME/GB"
}

variable "whatsapp_phone_number_id" {
  description = "End User Messaging Social phone number ID of the linked WhatsApp number (console: Phone numbers)."
  type        = string
  default     = "phone-number-id-0123456789abcdef0123456789abcdef"
}

variable "ajo_egress_cidrs" {
  description = "AJO's static egress IP ranges (ask Adobe for your region's list)."
  type        = list(string)
  default     = ["192.0.2.0/24"]
}

variable "waf_web_acl_arn" {
  description = "Regional WAF web ACL to associate with the stage."
  type        = string
  default     = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/ajo-sms/0123abcd-0123-4567-89ab-0123456789ab"
}

variable "domain_name" {
  description = "Custom domain AJO calls."
  type        = string
  default     = "sms.example.com"
}

variable "certificate_arn" {
  description = "ACM certificate for domain_name, in the same region."
  type        = string
  default     = "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab"
}

variable "aep_inlet_url" {
  description = "Adobe Experience Platform HTTP API streaming inlet URL."
  type        = string
  default     = "https://dcs.adobedc.net/collection/batch/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
}

variable "aep_ims_org_id" {
  description = "Adobe IMS organization ID."
  type        = string
  default     = "0123456789ABCDEF01234567@AdobeOrg"
}

variable "aep_dataset_id" {
  description = "AEP dataset receiving the SMS events."
  type        = string
  default     = "0123456789abcdef01234567"
}

variable "aep_schema_id" {
  description = "XDM schema $id of that dataset."
  type        = string
  default     = "https://ns.adobe.com/acme/schemas/0123456789abcdef0123456789abcdef"
}

variable "ajo_inbound_webhook_url" {
  description = "Inbound webhook URL AJO generated for the SMS channel's replies."
  type        = string
  default     = "https://inbound.example.adobe.io/webhooks/sms/inbound"
}

variable "ajo_feedback_webhook_url" {
  description = "Feedback webhook URL AJO generated for the SMS channel's delivery statuses."
  type        = string
  default     = "https://inbound.example.adobe.io/webhooks/sms/feedback"
}

variable "ajo_webhook_secret_arn" {
  description = "Secrets Manager secret holding the header value both webhooks expect."
  type        = string
  default     = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ajo-sms-webhook-AbCdEf"
}
