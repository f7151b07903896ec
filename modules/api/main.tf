# The REST API: one resource, POST only, API-key authorizer, body validated
# against the contract's schema, proxied to the send function. Settings come
# from local.api_definition (definition.tf).

resource "aws_api_gateway_rest_api" "this" {
  #checkov:skip=CKV_AWS_237: the invoke URL contains the API ID, so a replacement API has a new URL that AJO must be given anyway; create-before-destroy would not keep the endpoint up (a custom_domain does)
  name        = var.name
  description = var.description
  tags        = var.tags

  # Behind a custom domain the default endpoint would bypass the domain's
  # TLS policy (and WAF/DNS controls placed there): only the domain answers.
  disable_execute_api_endpoint = local.api_definition.disable_execute_api_endpoint

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "sms" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = local.api_definition.path_part
}

resource "aws_api_gateway_model" "request" {
  rest_api_id  = aws_api_gateway_rest_api.this.id
  name         = local.api_definition.model.name
  description  = "Body of POST /${var.path_part} (CONTRACT.md section 1)"
  content_type = local.api_definition.model.content_type
  schema       = local.api_definition.model.schema
}

resource "aws_api_gateway_request_validator" "body" {
  rest_api_id                 = aws_api_gateway_rest_api.this.id
  name                        = local.api_definition.validator.name
  validate_request_body       = local.api_definition.validator.validate_request_body
  validate_request_parameters = local.api_definition.validator.validate_request_parameters
}

resource "aws_api_gateway_method" "post" {
  rest_api_id          = aws_api_gateway_rest_api.this.id
  resource_id          = aws_api_gateway_resource.sms.id
  http_method          = local.api_definition.method.http_method
  authorization        = local.api_definition.method.authorization
  authorizer_id        = aws_api_gateway_authorizer.api_key.id
  request_validator_id = aws_api_gateway_request_validator.body.id
  request_models = {
    (aws_api_gateway_model.request.content_type) = aws_api_gateway_model.request.name
  }
}

resource "aws_api_gateway_integration" "send" {
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_resource.sms.id
  http_method             = aws_api_gateway_method.post.http_method
  type                    = local.api_definition.integration.type
  integration_http_method = local.api_definition.integration.integration_http_method
  uri                     = local.api_definition.integration.uri
}

resource "aws_api_gateway_authorizer" "api_key" {
  rest_api_id                      = aws_api_gateway_rest_api.this.id
  name                             = local.api_definition.authorizer.name
  type                             = local.api_definition.authorizer.type
  authorizer_uri                   = local.api_definition.authorizer.uri
  identity_source                  = local.api_definition.authorizer.identity_source
  identity_validation_expression   = local.api_definition.authorizer.identity_validation_expression
  authorizer_result_ttl_in_seconds = local.api_definition.authorizer.result_ttl_seconds
}
