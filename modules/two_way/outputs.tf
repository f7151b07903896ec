output "topic_arn" {
  description = "SNS topic to set as the two-way channel of each number (two_way_channel_arn)."
  # Known at plan (so the plan shows each number's channel), yet ready only
  # once the topic admits End User Messaging: a number is never attached to
  # a topic it cannot publish to.
  value = module.topic.arn
}

output "queue_url" {
  description = "URL of the inbound queue."
  value       = module.queue.urls.inbound
}

output "queue_arn" {
  description = "ARN of the inbound queue."
  value       = module.queue.arns.inbound
}

output "dead_letter_queue_url" {
  description = "URL of the DLQ of inbound messages the function could not handle."
  value       = module.queue.dead_letter_queue.url
}

output "dead_letter_queue_arn" {
  description = "ARN of the inbound DLQ."
  value       = module.queue.dead_letter_queue.arn
}

output "dead_letter_queue_name" {
  description = "Name of the inbound DLQ (the operations module's alarm watches it)."
  value       = module.queue.dead_letter_queue.name
}

output "redrive_command" {
  description = "AWS CLI command that moves the DLQ's messages back to the inbound queue once the cause is fixed; the progress table keeps every step once."
  value       = "aws sqs start-message-move-task --source-arn '${local.dlq_arn}'"
}

output "table_name" {
  description = "DynamoDB table of per-message progress."
  value       = aws_dynamodb_table.this.name
}

output "function_name" {
  description = "Name of the inbound Lambda."
  value       = module.inbound_function.function_name
}

output "function_arn" {
  description = "ARN of the inbound Lambda."
  value       = module.inbound_function.function_arn
}

output "function_role_arn" {
  description = "Execution role of the inbound Lambda."
  value       = module.inbound_function.role_arn
}

output "log_group_name" {
  description = "Log group of the inbound Lambda (masked numbers, no message bodies at INFO)."
  value       = module.inbound_function.log_group_name
}

output "attach_command" {
  description = "AWS CLI command that makes an existing number two-way with this topic (replace <phone-number-id>); with self-managed opt-outs it also names the opt-out list the function keeps. Numbers requested by the module are attached by Terraform."
  value = join(" ", concat(
    ["aws pinpoint-sms-voice-v2 update-phone-number --phone-number-id <phone-number-id>"],
    ["--two-way-enabled --two-way-channel-arn '${local.topic_arn}'"],
    # Self-managed: the function keeps opt-outs in this list, so the number
    # must use it for the SMS API to refuse sends to opted-out recipients.
    var.self_managed_opt_outs ? ["--self-managed-opt-outs-enabled --opt-out-list-name '${coalesce(var.opt_out_list_name, "-")}'"] : [],
  ))
}
