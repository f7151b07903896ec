# Optional custom domain: regional endpoint, TLS 1.2+ only.

resource "aws_api_gateway_domain_name" "this" {
  #checkov:skip=CKV_AWS_206: security_policy defaults to TLS_1_2 and the custom_domain validation rejects TLS_1_0; checkov cannot see through the variable
  count = var.custom_domain == null ? 0 : 1

  domain_name              = var.custom_domain.domain_name
  regional_certificate_arn = var.custom_domain.certificate_arn
  security_policy          = var.custom_domain.security_policy
  tags                     = var.tags

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_base_path_mapping" "this" {
  count = var.custom_domain == null ? 0 : 1

  api_id      = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  domain_name = aws_api_gateway_domain_name.this[0].domain_name
  base_path   = var.custom_domain.base_path
}
