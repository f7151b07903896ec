output "api_endpoint_url" {
  description = "Full URL AJO's custom action POSTs to."
  value       = local.api_endpoint_url
}

output "auth_header_name" {
  description = "Header carrying the API key (a Constant header field in AJO)."
  value       = var.auth_header_name
}

output "api_key_secret_arn" {
  description = "Secrets Manager secret holding the API key (its plain secret string)."
  value       = local.api_key_secret_arn
}

output "api_key_read_command" {
  description = "AWS CLI command that prints the API key to paste into AJO."
  value       = "aws secretsmanager get-secret-value --secret-id '${local.api_key_secret_arn}' --query SecretString --output text"
}

output "ajo_custom_action" {
  description = "Everything AJO's Custom Action form needs: URL, method, headers, payload fields and sample responses."
  value       = local.ajo_custom_action
}

output "ajo_custom_action_json" {
  description = "`ajo_custom_action` rendered as JSON (terraform output -raw ajo_custom_action_json)."
  value       = jsonencode(local.ajo_custom_action)
}

output "api_rest_api_id" {
  description = "ID of the REST API."
  value       = module.api.rest_api_id
}

output "api_stage_name" {
  description = "Stage AJO calls."
  value       = module.api.stage_name
}

output "api_access_log_group_name" {
  description = "CloudWatch log group of the stage's access logs."
  value       = module.api.access_log_group_name
}

output "api_custom_domain_target" {
  description = "Regional domain name the custom domain's DNS alias (or CNAME) points at, null without api.custom_domain."
  value       = module.api.custom_domain_target
}

output "api_custom_domain_zone_id" {
  description = "Route 53 hosted zone ID for an alias record to api_custom_domain_target, null without api.custom_domain."
  value       = module.api.custom_domain_zone_id
}

output "send_function_name" {
  description = "Name of the SMS send Lambda."
  value       = module.send_function.function_name
}

output "send_function_arn" {
  description = "ARN of the SMS send Lambda."
  value       = module.send_function.function_arn
}

output "send_function_role_arn" {
  description = "Execution role of the SMS send Lambda."
  value       = module.send_function.role_arn
}

output "send_function_log_group_name" {
  description = "Log group of the SMS send Lambda (masked numbers, no message bodies)."
  value       = module.send_function.log_group_name
}

output "authorizer_function_name" {
  description = "Name of the API key authorizer Lambda."
  value       = module.authorizer_function.function_name
}

output "authorizer_function_arn" {
  description = "ARN of the API key authorizer Lambda."
  value       = module.authorizer_function.function_arn
}

output "authorizer_function_role_arn" {
  description = "Execution role of the API key authorizer Lambda."
  value       = module.authorizer_function.role_arn
}

output "idempotency_table_name" {
  description = "DynamoDB table of idempotency records, null when idempotency is off."
  value       = var.idempotency.enabled ? aws_dynamodb_table.idempotency[0].name : null
}

output "sms_configuration_set_name" {
  description = "End User Messaging configuration set every send names."
  value       = module.messaging.configuration_set_name
}

output "sms_origination_identity" {
  description = "Default origination identity used when a request names none."
  value       = module.messaging.origination_identity
}

output "sms_phone_numbers" {
  description = "Requested phone numbers by key (ARN, ID, number)."
  value       = module.messaging.phone_numbers
}

output "sms_event_destination_role_arn" {
  description = "Role End User Messaging assumes to write delivery events to Firehose, null without an event destination."
  value       = module.messaging.event_destination_role_arn
}

output "pinpoint_application_id" {
  description = "LEGACY: Pinpoint v1 application ID when sms.api = \"v1\"."
  value       = module.messaging.pinpoint_application_id
}

output "events_bucket_name" {
  description = "S3 bucket receiving delivery events, null when event export is off."
  value       = try(module.event_export[0].bucket_name, null)
}

output "events_firehose_stream_arn" {
  description = "Firehose stream of delivery events."
  value       = try(module.event_export[0].firehose_stream_arn, null)
}

output "events_firehose_role_arn" {
  description = "Role Firehose assumes to write delivery events to the bucket."
  value       = try(module.event_export[0].firehose_role_arn, null)
}

output "events_aep_secret_arn" {
  description = "Secrets Manager secret of the AEP credentials (created empty when none was given: fill it after apply), null unless AEP forwarding is on."
  value       = try(module.event_export[0].aep_secret_arn, null)
}

output "events_aep_queue_arn" {
  description = "SQS queue of new event objects for the AEP forwarder, null unless AEP forwarding is on."
  value       = try(module.event_export[0].aep_queue_arn, null)
}

output "events_aep_dead_letter_queue_arn" {
  description = "Dead-letter queue of event objects the AEP forwarder could not deliver (redrive after fixing the cause), null unless AEP forwarding is on."
  value       = try(module.event_export[0].aep_dead_letter_queue_arn, null)
}

output "events_aep_function_arn" {
  description = "ARN of the AEP forwarder Lambda, null unless AEP forwarding is on."
  value       = try(module.event_export[0].aep_function_arn, null)
}

output "events_aep_function_role_arn" {
  description = "Execution role of the AEP forwarder Lambda, null unless AEP forwarding is on."
  value       = try(module.event_export[0].aep_function_role_arn, null)
}

output "events_glue_table_name" {
  description = "Glue table over the events for Athena, when enabled."
  value       = try(module.event_export[0].glue_table_name, null)
}

output "delivery_transactional_queue_url" {
  description = "Queue of TRANSACTIONAL messages awaiting dispatch, null without delivery.mps."
  value       = try(module.delivery[0].transactional_queue_url, null)
}

output "delivery_promotional_queue_url" {
  description = "Queue of PROMOTIONAL messages awaiting dispatch, null without delivery.mps."
  value       = try(module.delivery[0].promotional_queue_url, null)
}

output "delivery_dead_letter_queue_url" {
  description = "DLQ of messages the dispatcher could not send after delivery.max_attempts (or that crashed it 10 times)."
  value       = try(module.delivery[0].dead_letter_queue_url, null)
}

output "delivery_dead_letter_queue_arn" {
  description = "ARN of the delivery DLQ."
  value       = try(module.delivery[0].dead_letter_queue_arn, null)
}

output "delivery_redrive_command" {
  description = "AWS CLI command that moves the DLQ's messages back to their queues once the cause is fixed; it cannot send an SMS twice (README: paced delivery)."
  value       = try(module.delivery[0].redrive_command, null)
}

output "delivery_table_name" {
  description = "DynamoDB table of queued messages' tracking records and the shared token bucket."
  value       = try(module.delivery[0].table_name, null)
}

output "delivery_dispatch_function_name" {
  description = "Name of the dispatcher Lambda that sends queued messages at delivery.mps."
  value       = try(module.delivery[0].dispatch_function_name, null)
}

output "delivery_dispatch_function_arn" {
  description = "ARN of the dispatcher Lambda."
  value       = try(module.delivery[0].dispatch_function_arn, null)
}

output "operations_alarm_topic_arn" {
  description = "SNS topic the alarms notify (subscribe on-call to it): the created KMS-encrypted one or operations.alarms.topic_arn."
  value       = module.operations.topic_arn
}

output "operations_alarm_names" {
  description = "Names of the CloudWatch alarms created (modules/operations README: what each means and what to do)."
  value       = module.operations.alarm_names
}

output "operations_dashboard_name" {
  description = "CloudWatch dashboard of traffic, outcomes, throughput, queues and delivery, null when operations.dashboard is false."
  value       = module.operations.dashboard_name
}

output "operations_dashboard_url" {
  description = "Console URL of the dashboard."
  value       = module.operations.dashboard_url
}

output "operations_named_query_ids" {
  description = "Athena named query IDs of the delivery reports by name (empty without event_export.glue)."
  value       = module.operations.named_query_ids
}

output "ajo_sms_provider" {
  description = "Everything AJO's SMS channel needs for a custom SMS provider: provider URL, API key auth, the provider payload template, and the inbound and feedback webhooks' payload mappings and where their URLs go."
  value       = local.ajo_sms_provider
}

output "ajo_sms_provider_json" {
  description = "`ajo_sms_provider` rendered as JSON (terraform output -raw ajo_sms_provider_json)."
  value       = jsonencode(local.ajo_sms_provider)
}

output "two_way" {
  description = "Two-way SMS: the topic numbers publish to, the inbound queue and its DLQ, the inbound function, and `attach_command` to make an existing number two-way (replace <phone-number-id>); null unless two_way.enabled."
  value = var.two_way.enabled ? {
    topic_arn             = module.two_way[0].topic_arn
    queue_url             = module.two_way[0].queue_url
    dead_letter_queue_url = module.two_way[0].dead_letter_queue_url
    redrive_command       = module.two_way[0].redrive_command
    function_name         = module.two_way[0].function_name
    attach_command        = module.two_way[0].attach_command
  } : null
}

output "media_bucket" {
  description = "MMS media bucket (channels.mms): name and ARN; upload media there and send their s3:// URIs as mediaUrls. Null without MMS."
  value       = local.mms ? { name = local.media_bucket_name, arn = local.media_bucket_arn } : null
}

output "whatsapp_event_topic_arn" {
  description = "SNS topic for WhatsApp events (channels.whatsapp): set it as the WhatsApp Business Account's event destination in the End User Messaging Social console. Null without WhatsApp."
  value       = local.whatsapp ? module.whatsapp_events[0].arn : null
}
