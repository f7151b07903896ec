output "rest_api_id" {
  description = "REST API ID."
  value       = aws_api_gateway_rest_api.this.id
}

output "rest_api_execution_arn" {
  description = "Execution ARN prefix of the REST API (for further lambda permissions)."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "stage_name" {
  description = "Stage name."
  value       = aws_api_gateway_stage.this.stage_name
}

output "stage_arn" {
  description = "Stage ARN (WAF associations, tagging)."
  value       = aws_api_gateway_stage.this.arn
}

output "invoke_url" {
  description = "The full URL on the execute-api endpoint: https://{api}.execute-api.{region}.amazonaws.com/{stage}/{path_part}. Disabled (it answers 403) when custom_domain is set: use custom_domain_url."
  value       = "${aws_api_gateway_stage.this.invoke_url}/${var.path_part}"
}

output "custom_domain_url" {
  description = "The full URL AJO POSTs to on the custom domain (null without one)."
  value = var.custom_domain == null ? null : join("/", compact([
    "https://${var.custom_domain.domain_name}", var.custom_domain.base_path, var.path_part,
  ]))
}

output "custom_domain_target" {
  description = "Regional domain name to point the custom domain's DNS alias (or CNAME) at (null without a custom domain)."
  value       = one(aws_api_gateway_domain_name.this[*].regional_domain_name)
}

output "custom_domain_zone_id" {
  description = "Route 53 hosted zone ID for an alias record to custom_domain_target (null without a custom domain)."
  value       = one(aws_api_gateway_domain_name.this[*].regional_zone_id)
}

output "access_log_group_name" {
  description = "CloudWatch log group of the stage's JSON access logs."
  value       = aws_cloudwatch_log_group.access.name
}

output "authorizer_id" {
  description = "ID of the API-key TOKEN authorizer."
  value       = aws_api_gateway_authorizer.api_key.id
}

output "rest_api_name" {
  description = "Name of the REST API (API Gateway metrics' ApiName dimension)."
  value       = aws_api_gateway_rest_api.this.name
}
