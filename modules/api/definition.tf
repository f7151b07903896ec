# Everything that makes up the API's deployed definition, in one object. The
# resources are rendered from it, and the deployment trigger hashes it
# (stage.tf), so any change to the routes, the model, the authorizer, the
# gateway responses or the resource policy redeploys the stage; settings that
# live on the stage (throttling, logging) do not need to. Built from inputs,
# not from resource attributes, so the hash is known at plan time and a plan
# shows whether a redeployment will happen.

locals {
  api_definition = {
    path_part = var.path_part
    method = {
      http_method   = "POST"
      authorization = "CUSTOM"
    }
    integration = {
      type                    = "AWS_PROXY"
      integration_http_method = "POST" # Lambda is always invoked with POST
      uri                     = var.send_function.invoke_arn
    }
    model = {
      name         = "SmsSendRequest"
      content_type = "application/json"
      schema       = file("${path.module}/request_schema.json")
    }
    validator = {
      name                        = "body"
      validate_request_body       = true
      validate_request_parameters = false
    }
    authorizer = {
      name                           = "${var.name}-api-key"
      type                           = "TOKEN"
      uri                            = var.authorizer_function.invoke_arn
      identity_source                = "method.request.header.${var.auth_header_name}"
      identity_validation_expression = var.authorizer.identity_validation_expression
      result_ttl_seconds             = var.authorizer.result_ttl_seconds
    }
    gateway_responses = {
      for type, response in local.gateway_responses : type => {
        status_code = response.status_code
        template    = local.gateway_response_templates[type]
        parameters = {
          for name, value in merge({ "Content-Type" = "'application/json'" }, lookup(local.gateway_response_headers, type, {})) :
          "gatewayresponse.header.${name}" => value
        }
      }
    }
    allowed_source_cidrs = var.allowed_source_cidrs
    # Takes effect only with a new deployment, so it belongs to the snapshot.
    disable_execute_api_endpoint = var.custom_domain != null
  }
}
