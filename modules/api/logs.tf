# Access logs: one JSON object per request. Deliberately absent: the request
# body, every request header (the API key travels in one) and the caller's
# user agent (free text that could break the JSON line).

locals {
  # Retention periods CloudWatch Logs accepts (0: never expire), for validation.
  log_retention_values = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]

  access_log_format = jsonencode({
    requestId          = "$context.requestId"
    extendedRequestId  = "$context.extendedRequestId"
    requestTime        = "$context.requestTime"
    ip                 = "$context.identity.sourceIp"
    httpMethod         = "$context.httpMethod"
    resourcePath       = "$context.resourcePath"
    routeKey           = "$context.httpMethod $context.resourcePath"
    protocol           = "$context.protocol"
    status             = "$context.status"
    responseLength     = "$context.responseLength"
    responseLatency    = "$context.responseLatency"
    integrationStatus  = "$context.integration.status"
    integrationLatency = "$context.integration.latency"
    errorType          = "$context.error.responseType"
    errorMessage       = "$context.error.message"
    authorizerStatus   = "$context.authorizer.status"
    authorizerLatency  = "$context.authorizer.latency"
    authorizerError    = "$context.authorizer.error"
    principalId        = "$context.authorizer.principalId"
    keyVersion         = "$context.authorizer.keyVersion"
    wafStatus          = "$context.waf.status"
    xrayTraceId        = "$context.xrayTraceId"
  })
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}/${var.stage_name}/access"
  retention_in_days = var.logging.retention_days
  kms_key_id        = var.logging.kms_key_arn
  tags              = var.tags
}
