# Customer-managed key for the created bucket (SSE-KMS without a given key).
# The default key policy delegates to IAM, so only the roles granted below (and
# account administrators) can use it.
resource "aws_kms_key" "this" {
  #checkov:skip=CKV2_AWS_64: the default key policy is intended (see above): it delegates to IAM, and only this module's least-privilege roles are granted the key
  count = local.create_kms_key ? 1 : 0

  description             = "${var.name}: SMS delivery events at rest"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = local.tags
}

resource "aws_kms_alias" "this" {
  count = local.create_kms_key ? 1 : 0

  name          = "alias/${var.name}-sms-events"
  target_key_id = aws_kms_key.this[0].key_id
}
