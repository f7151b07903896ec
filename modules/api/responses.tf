# Errors API Gateway answers by itself (before or instead of the send
# function) get the contract's JSON shape, so AJO's action-response failure
# payload reads them like the function's own errors:
#   {"status": "REJECTED" (do not retry) | "RETRY",
#    "error": {"code": ..., "message": ..., "field": null}, "requestId": ...}
# plus the top-level "message" CONTRACT.md specifies for 401/403.

locals {
  # message = null: use API Gateway's own message for the error.
  gateway_responses = {
    UNAUTHORIZED = {
      status_code = "401", status = "REJECTED", code = "UNAUTHORIZED", http_message = "Unauthorized"
      message     = "Missing or invalid API key in header ${var.auth_header_name}"
    }
    ACCESS_DENIED = {
      status_code = "403", status = "REJECTED", code = "FORBIDDEN", http_message = "Forbidden"
      message     = "Access denied"
    }
    WAF_FILTERED = {
      status_code = "403", status = "REJECTED", code = "FORBIDDEN", http_message = "Forbidden"
      message     = "Request blocked by the web application firewall"
    }
    # What API Gateway answers for any path or method it does not route.
    MISSING_AUTHENTICATION_TOKEN = {
      status_code = "404", status = "REJECTED", code = "NOT_FOUND", http_message = null
      message     = "No such route: send POST /${var.stage_name}/${var.path_part}"
    }
    # The body failed the request model (not JSON, not an object, a required
    # field missing, a wrong type): the send function never ran.
    BAD_REQUEST_BODY = {
      status_code = "400", status = "REJECTED", code = "INVALID_REQUEST", http_message = null
      message     = null
    }
    THROTTLED = {
      status_code = "429", status = "RETRY", code = "THROTTLED", http_message = null
      message     = "Too many requests; retry later"
    }
    # The authorizer could not check the key (it raised anything but
    # "Unauthorized": Secrets Manager unreachable, throttling, failing; or
    # API Gateway could not invoke it). Not a wrong key: a 401 here would be
    # the one status AJO never retries, and the message would be lost.
    AUTHORIZER_FAILURE = {
      status_code = "503", status = "RETRY", code = "UPSTREAM_UNAVAILABLE", http_message = null
      message     = "The API key could not be checked; retry later"
    }
    AUTHORIZER_CONFIGURATION_ERROR = {
      status_code = "503", status = "RETRY", code = "UPSTREAM_UNAVAILABLE", http_message = null
      message     = "The API key could not be checked; retry later"
    }
    INTEGRATION_TIMEOUT = {
      status_code = "504", status = "RETRY", code = "UPSTREAM_UNAVAILABLE", http_message = null
      message     = null
    }
    # Catch-alls keep the status API Gateway chose.
    DEFAULT_4XX = {
      status_code = null, status = "REJECTED", code = "BAD_REQUEST", http_message = null
      message     = null
    }
    DEFAULT_5XX = {
      status_code = null, status = "RETRY", code = "UPSTREAM_ERROR", http_message = null
      message     = null
    }
  }

  # jsonencode cannot emit a template variable unquoted, so it encodes a
  # placeholder that is swapped for $context.error.messageString (API
  # Gateway's message, already quoted and escaped for JSON).
  gateway_response_templates = {
    for type, r in local.gateway_responses : type => replace(
      jsonencode(merge(
        r.http_message == null ? {} : { message = r.http_message },
        {
          status    = r.status
          error     = { code = r.code, message = coalesce(r.message, "@GATEWAY_MESSAGE@"), field = null }
          requestId = "$context.requestId"
        },
      )),
      "\"@GATEWAY_MESSAGE@\"", "$context.error.messageString"
    )
  }

  gateway_response_headers = {
    THROTTLED = { "Retry-After" = "'1'" }
  }
}

resource "aws_api_gateway_gateway_response" "this" {
  for_each = local.api_definition.gateway_responses

  rest_api_id         = aws_api_gateway_rest_api.this.id
  response_type       = each.key
  status_code         = each.value.status_code
  response_templates  = { "application/json" = each.value.template }
  response_parameters = each.value.parameters
}
