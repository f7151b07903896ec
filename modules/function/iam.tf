# Execution role: assumable by Lambda on behalf of this account only
# (aws:SourceAccount guards against a confused deputy), allowed to write to its
# own log group and to do what policy_statements list, nothing else.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  # Built from its parts, not read from the log group resource, so the role
  # policy is known at plan time and a plan shows the exact permissions.
  log_group_arn = join(":", [
    "arn", data.aws_partition.current.partition, "logs", data.aws_region.current.region,
    data.aws_caller_identity.current.account_id, "log-group", "/aws/lambda/${var.name}",
  ])
}

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "LambdaAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  description          = "Execution role of the ${var.name} Lambda function"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  path                 = var.role_path
  permissions_boundary = var.role_permissions_boundary
  tags                 = var.tags
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn}:*"]
  }

  dynamic "statement" {
    # X-Ray has no resource-level permissions: "*" is the only valid resource.
    for_each = var.tracing_mode == null ? [] : [1]
    content {
      sid       = "WriteTraces"
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    # Lambda decrypts customer-key-encrypted environment variables with the
    # execution role's credentials at cold start.
    for_each = var.kms_key_arn != null && length(var.environment) > 0 ? [1] : []
    content {
      sid       = "DecryptEnvironment"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]
    }
  }

  dynamic "statement" {
    for_each = var.policy_statements
    content {
      sid       = statement.value.sid
      effect    = statement.value.effect
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = statement.value.condition
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = var.name
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}
