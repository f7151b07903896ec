output "function_name" {
  description = "Lambda function name."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "Lambda function ARN (unqualified)."
  value       = aws_lambda_function.this.arn
}

output "function_qualified_arn" {
  description = "Lambda function ARN qualified with its version ($LATEST unless published)."
  value       = aws_lambda_function.this.qualified_arn
}

output "function_invoke_arn" {
  description = "ARN API Gateway uses to invoke the function (integration and authorizer URI)."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_arn" {
  description = "Execution role ARN."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Execution role name (attach further policies to it from outside if needed)."
  value       = aws_iam_role.this.name
}

output "log_group_name" {
  description = "CloudWatch log group of the function."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "CloudWatch log group ARN."
  value       = aws_cloudwatch_log_group.this.arn
}
