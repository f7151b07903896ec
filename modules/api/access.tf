# Optional network-level restrictions in front of the API key.

data "aws_iam_policy_document" "source_ip" {
  count = length(var.allowed_source_cidrs) > 0 ? 1 : 0

  statement {
    sid       = "AllowInvoke"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.this.execution_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }

  statement {
    sid       = "DenyOutsideAllowedCidrs"
    effect    = "Deny"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.this.execution_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "NotIpAddress"
      variable = "aws:SourceIp"
      values   = local.api_definition.allowed_source_cidrs
    }
  }
}

resource "aws_api_gateway_rest_api_policy" "this" {
  count = length(local.api_definition.allowed_source_cidrs) > 0 ? 1 : 0

  rest_api_id = aws_api_gateway_rest_api.this.id
  policy      = data.aws_iam_policy_document.source_ip[0].json
}

resource "aws_wafv2_web_acl_association" "this" {
  count = var.waf_web_acl_arn == null ? 0 : 1

  resource_arn = aws_api_gateway_stage.this.arn
  web_acl_arn  = var.waf_web_acl_arn
}
