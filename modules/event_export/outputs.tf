output "firehose_stream_arn" {
  description = "Firehose stream the messaging module's event destination writes to."
  value       = aws_kinesis_firehose_delivery_stream.this["sms"].arn
}

output "firehose_stream_name" {
  description = "Name of the Firehose stream."
  value       = aws_kinesis_firehose_delivery_stream.this["sms"].name
}

output "firehose_role_arn" {
  description = "Role Firehose assumes to write to the bucket."
  value       = aws_iam_role.firehose.arn
}

output "bucket_name" {
  description = "Bucket the events land in (created or existing)."
  value       = local.bucket_name
}

output "bucket_arn" {
  description = "ARN of the events bucket."
  value       = local.bucket_arn
}

output "kms_key_arn" {
  description = "KMS key encrypting the bucket (null with SSE-S3)."
  value       = local.kms_key_arn
}

output "events_prefix" {
  description = "Key prefix of event objects (without partitions)."
  value       = var.delivery.prefix
}

output "error_output_prefix" {
  description = "Firehose error output prefix, with its expressions."
  value       = local.streams.sms.error_output_prefix
}

output "log_group_name" {
  description = "CloudWatch log group of Firehose delivery errors."
  value       = aws_cloudwatch_log_group.firehose.name
}

output "glue_database_name" {
  description = "Glue database of the events table (null unless glue.enabled)."
  value       = var.glue.enabled ? local.glue_database_name : null
}

output "glue_table_name" {
  description = "Glue table over the events (null unless glue.enabled)."
  value       = var.glue.enabled ? aws_glue_catalog_table.events[0].name : null
}

output "aep_queue_arn" {
  description = "SQS queue of new-object notifications for the event forwarder (null unless aep_forwarding.enabled or ajo_feedback_webhook is set). With an existing bucket and manage_bucket_notification = false, point the bucket's ObjectCreated notifications for events_prefix here."
  value       = local.forwarder_enabled ? module.forwarder_queue[0].arns.notifications : null
}

output "aep_dead_letter_queue_arn" {
  description = "Dead-letter queue of objects the forwarder could not deliver (redrive after fixing the cause)."
  value       = local.forwarder_enabled ? module.forwarder_queue[0].dead_letter_queue.arn : null
}

output "aep_function_arn" {
  description = "ARN of the event forwarder function (AEP and/or AJO feedback; null unless aep_forwarding.enabled or ajo_feedback_webhook is set)."
  value       = local.forwarder_enabled ? module.aep_function[0].function_arn : null
}

output "aep_function_role_arn" {
  description = "Execution role of the AEP forwarder function (null unless aep_forwarding.enabled or ajo_feedback_webhook is set)."
  value       = local.forwarder_enabled ? module.aep_function[0].role_arn : null
}

output "aep_secret_arn" {
  description = "Secrets Manager secret holding the AEP credentials (created empty when none was given)."
  value       = local.aep_secret_arn
}

output "aep_function_name" {
  description = "Name of the event forwarder function (null unless aep_forwarding.enabled or ajo_feedback_webhook is set)."
  value       = local.forwarder_enabled ? module.aep_function[0].function_name : null
}

output "aep_dead_letter_queue_name" {
  description = "Name of the forwarder's dead-letter queue (null unless aep_forwarding.enabled or ajo_feedback_webhook is set)."
  value       = local.forwarder_enabled ? module.forwarder_queue[0].dead_letter_queue.name : null
}

output "buffering_interval" {
  description = "Firehose buffering interval in seconds (the freshness alarm's yardstick)."
  value       = var.delivery.buffering_interval
}

output "whatsapp_stream_arn" {
  description = "Firehose stream of WhatsApp events (null unless whatsapp_events): the endpoint of the WhatsApp event topic's Firehose subscription."
  value       = try(aws_kinesis_firehose_delivery_stream.this["whatsapp"].arn, null)
}

output "whatsapp_stream_name" {
  description = "Name of the WhatsApp events stream (null unless whatsapp_events); known at plan, unlike its ARN."
  value       = try(aws_kinesis_firehose_delivery_stream.this["whatsapp"].name, null)
}
