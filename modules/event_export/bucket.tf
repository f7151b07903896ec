# The events bucket, when created here: private, encrypted, TLS-only, expiring.
resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18: server access logs would need a second bucket per deployment; only this module's roles write here, and CloudTrail S3 data events are the account-level audit trail
  #checkov:skip=CKV_AWS_144: cross-region replication of delivery events is a cost and residency decision for the account owner, who can add it to this bucket
  count = var.bucket.create ? 1 : 0

  bucket        = local.bucket_name
  force_destroy = var.bucket.force_destroy
  tags          = local.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  count = var.bucket.create ? 1 : 0

  bucket                  = aws_s3_bucket.this[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs off: every object belongs to the bucket owner whoever writes it.
resource "aws_s3_bucket_ownership_controls" "this" {
  count = var.bucket.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count = var.bucket.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = local.uses_kms ? "aws:kms" : "AES256"
      kms_master_key_id = local.kms_key_arn
    }
    # One KMS data key per bucket rather than per object: far fewer KMS calls.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "this" {
  count = var.bucket.create && var.bucket.versioning ? 1 : 0

  bucket = aws_s3_bucket.this[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count = var.bucket.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    id     = "expire-events"
    status = "Enabled"
    filter {}

    dynamic "expiration" {
      for_each = var.bucket.expiration_days > 0 ? [var.bucket.expiration_days] : []
      content {
        days = expiration.value
      }
    }

    dynamic "noncurrent_version_expiration" {
      for_each = var.bucket.versioning ? [var.bucket.noncurrent_expiration_days] : []
      content {
        noncurrent_days = noncurrent_version_expiration.value
      }
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_policy" "this" {
  count = var.bucket.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id
  policy = data.aws_iam_policy_document.bucket[0].json

  # A bucket policy cannot be attached while public access settings are changing.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

data "aws_iam_policy_document" "bucket" {
  count = var.bucket.create ? 1 : 0

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
