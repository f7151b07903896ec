output "arns" {
  description = "Queue ARNs by key."
  value       = { for k, q in aws_sqs_queue.this : k => q.arn }
}

output "urls" {
  description = "Queue URLs by key."
  value       = { for k, q in aws_sqs_queue.this : k => q.url }
}

output "dead_letter_queue" {
  description = "The dead-letter queue: name, ARN and URL."
  value       = { name = aws_sqs_queue.dlq.name, arn = aws_sqs_queue.dlq.arn, url = aws_sqs_queue.dlq.url }
}
