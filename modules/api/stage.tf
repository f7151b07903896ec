# A deployment is a snapshot of the API. It is replaced whenever the API
# definition changes (local.api_definition, hashed below), and created before
# the old one is destroyed, so the stage always points at a complete snapshot.

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  description = "Managed by Terraform"

  triggers = {
    redeployment = sha1(jsonencode(local.api_definition))
  }

  lifecycle {
    create_before_destroy = true
  }

  # Everything the snapshot must contain (a deployment without the method's
  # integration fails).
  depends_on = [
    aws_api_gateway_integration.send,
    aws_api_gateway_gateway_response.this,
    aws_api_gateway_rest_api_policy.this,
  ]
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV2_AWS_4: execution logging is opt-in (logging.execution_level OFF or ERROR; INFO could record request details); access logs are always on
  #checkov:skip=CKV2_AWS_51: a stage client certificate authenticates API Gateway to HTTP backends; the backend is a Lambda proxy integration and AJO authenticates with the API-key header
  #checkov:skip=CKV2_AWS_77: the WAF web ACL is the caller's (waf_web_acl_arn), so are its rules; the backend is Python, not Log4j
  #checkov:skip=CKV_AWS_120: every request is a distinct POST that sends an SMS; a cached response would skip a send
  #checkov:skip=CKV_AWS_73: X-Ray is opt-in (xray_tracing_enabled) because it is billed per trace; access logs carry the request ID
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.stage_name
  xray_tracing_enabled = var.xray_tracing_enabled
  tags                 = var.tags

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = local.access_log_format
  }

  # API Gateway refuses log settings until its account has a CloudWatch role.
  depends_on = [aws_api_gateway_account.this]
}

resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225: every request is a distinct POST that sends an SMS; a cached response would skip a send
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = var.logging.metrics_enabled
    logging_level          = var.logging.execution_level
    data_trace_enabled     = false # would log full request bodies and headers
    throttling_rate_limit  = var.throttling.rate_limit
    throttling_burst_limit = var.throttling.burst_limit
    caching_enabled        = false
  }
}

# One rule: the API throttle never paces AJO down to the SMS throughput. AJO
# cannot be throttled below 200 calls/s; calls over a lower limit get 429 and,
# after AJO's 3 retries, are lost. Pacing to the senders' MPS is the job of
# queued delivery (docs/DELIVERY.md): the queue absorbs the burst.
check "throttling_covers_ajo_floor" {
  assert {
    condition     = var.throttling.rate_limit >= 200
    error_message = "throttling.rate_limit is below 200 requests/s, AJO's lowest configurable throttle: calls above it get 429 THROTTLED and, after AJO's 3 retries, are lost. Keep the API limit at 200 or more and pace sends to the SMS throughput with queued delivery (delivery.mode = \"queued\"), not with the API throttle."
  }
}
