output "transactional_queue_url" {
  description = "URL of the TRANSACTIONAL queue."
  value       = module.queues.urls.transactional
}

output "transactional_queue_arn" {
  description = "ARN of the TRANSACTIONAL queue."
  value       = module.queues.arns.transactional
}

output "promotional_queue_url" {
  description = "URL of the PROMOTIONAL queue."
  value       = module.queues.urls.promotional
}

output "promotional_queue_arn" {
  description = "ARN of the PROMOTIONAL queue."
  value       = module.queues.arns.promotional
}

output "dead_letter_queue_url" {
  description = "URL of the DLQ both queues share."
  value       = module.queues.dead_letter_queue.url
}

output "dead_letter_queue_arn" {
  description = "ARN of the DLQ both queues share."
  value       = module.queues.dead_letter_queue.arn
}

output "redrive_command" {
  description = "AWS CLI command that moves DLQ messages back to the queue each came from. Safe: a message already sent finds its tracking record final and is deleted without a second send."
  value       = "aws sqs start-message-move-task --source-arn '${local.dlq_arn}'"
}

output "table_name" {
  description = "DynamoDB table of tracking records and the token bucket."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the delivery table."
  value       = aws_dynamodb_table.this.arn
}

output "dispatch_function_name" {
  description = "Name of the dispatcher Lambda."
  value       = module.dispatch_function.function_name
}

output "dispatch_function_arn" {
  description = "ARN of the dispatcher Lambda."
  value       = module.dispatch_function.function_arn
}

output "dispatch_log_group_name" {
  description = "Log group of the dispatcher Lambda."
  value       = module.dispatch_function.log_group_name
}

output "send_environment" {
  description = "Environment variables the send function needs to enqueue (merge into its environment)."
  value       = local.send_environment
}

output "send_policy_statements" {
  description = "IAM statements the send function needs to enqueue, for modules/function's policy_statements."
  value       = local.send_policy_statements
}

output "queue_names" {
  description = "Names of the TRANSACTIONAL and PROMOTIONAL queues, by message type (lower case)."
  value       = local.queue_names
}

output "dead_letter_queue_name" {
  description = "Name of the DLQ both queues share."
  value       = local.dlq_name
}
