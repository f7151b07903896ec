output "topic_arn" {
  description = "SNS topic every alarm notifies (the given one or the one created here); null when neither."
  value       = local.topic_arn
}

output "topic_kms_key_arn" {
  description = "KMS key encrypting the created topic (null when the topic is the caller's)."
  value       = local.create_topic ? module.topic[0].kms_key_arn : null
}

output "alarm_names" {
  description = "Names of the alarms created, sorted."
  value       = sort([for arn in local.alarm_arns : element(split(":alarm:", arn), 1)])
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard (null when off)."
  value       = var.dashboard ? aws_cloudwatch_dashboard.this[0].dashboard_name : null
}

output "dashboard_url" {
  description = "Console URL of the dashboard (null when off)."
  value       = var.dashboard ? "https://${local.region}.console.aws.amazon.com/cloudwatch/home?region=${local.region}#dashboards/dashboard/${var.name}" : null
}

output "named_query_ids" {
  description = "Athena named query IDs by report (delivery-by-journey, failures-by-journey, delivery-by-country, cost-per-day); empty without athena."
  value       = { for k, q in aws_athena_named_query.this : k => q.id }
}
