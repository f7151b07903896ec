output "arn" {
  description = "Topic ARN: known at plan, yet ready only once the topic policy admits the publisher."
  value       = local.arn
  depends_on  = [aws_sns_topic_policy.this]
}

output "name" {
  description = "Topic name."
  value       = aws_sns_topic.this.name
}

output "kms_key_arn" {
  description = "The key encrypting the topic (its own or kms_key_arn)."
  value       = local.own_key ? aws_kms_key.this[0].arn : var.kms_key_arn
}
