locals {
  # Retention periods CloudWatch Logs accepts (0: never expire), for validation.
  log_retention_values = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
}

# The log group exists before the function, so Lambda never creates an
# unmanaged one (no retention, no KMS) on the first invocation.
resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_338: retention is the caller's log_retention_days (default 30): the functions log masked numbers and request IDs only, delivery records are kept in the event bucket, and a shorter life suits data minimisation
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116: a DLQ only catches asynchronous invocations; these functions are invoked synchronously (API Gateway, its authorizer) or by an SQS event source mapping, whose queue has its own redrive DLQ
  #checkov:skip=CKV_AWS_117: no VPC resources are reached (only public AWS endpoints and Adobe's HTTPS inlet); a VPC would add NAT cost and cold-start latency and protect nothing
  #checkov:skip=CKV_AWS_272: code signing needs an AWS Signer profile the organisation owns; the zips are built reproducibly by `make build` and pinned by source_code_hash
  #checkov:skip=CKV_AWS_50: X-Ray is opt-in (tracing_mode; the root's functions.tracing_mode reaches every function) because it is billed per trace; every invocation already logs structured JSON with the request ID
  function_name = var.name
  description   = var.description
  role          = aws_iam_role.this.arn

  filename         = var.package.filename
  source_code_hash = filebase64sha256(var.package.filename)
  handler          = var.handler
  runtime          = var.runtime
  architectures    = [var.architecture]
  memory_size      = var.memory_size
  timeout          = var.timeout

  reserved_concurrent_executions = coalesce(var.reserved_concurrency, -1)
  kms_key_arn                    = length(var.environment) > 0 ? var.kms_key_arn : null

  dynamic "environment" {
    for_each = length(var.environment) > 0 ? [1] : []
    content {
      variables = var.environment
    }
  }

  dynamic "tracing_config" {
    for_each = var.tracing_mode == null ? [] : [1]
    content {
      mode = var.tracing_mode
    }
  }

  logging_config {
    log_format = var.log_format
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tags = var.tags

  # The role must be able to write logs before the first invocation.
  depends_on = [aws_iam_role_policy.this]
}
