# API Gateway writes CloudWatch logs (access and execution) through ONE role
# per account and region, set in the account settings. Opt-in only: it is
# shared by every API in the region and may already be managed elsewhere.

data "aws_iam_policy_document" "cloudwatch_assume" {
  count = var.manage_account_cloudwatch_role ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }

    # Confused-deputy guard: API Gateway may assume it for this account only.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current[0].account_id]
    }
  }
}

resource "aws_iam_role" "cloudwatch" {
  count = var.manage_account_cloudwatch_role ? 1 : 0

  name                 = substr("${var.name}-apigw-cloudwatch", 0, 64)
  description          = "API Gateway account-level role for writing CloudWatch logs (this region)"
  assume_role_policy   = data.aws_iam_policy_document.cloudwatch_assume[0].json
  path                 = var.role_path
  permissions_boundary = var.role_permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "cloudwatch" {
  count = var.manage_account_cloudwatch_role ? 1 : 0

  role       = aws_iam_role.cloudwatch[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  count = var.manage_account_cloudwatch_role ? 1 : 0

  cloudwatch_role_arn = aws_iam_role.cloudwatch[0].arn

  depends_on = [aws_iam_role_policy_attachment.cloudwatch]
}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {
  count = var.manage_account_cloudwatch_role ? 1 : 0
}
