# A private bucket: encrypted, TLS-only, ACLs off, public access blocked,
# objects expiring. The event export and the MMS media bucket are both this.
# Built from known parts so the policy naming the bucket is known at plan.
locals {
  arn = "arn:${data.aws_partition.current.partition}:s3:::${var.name}"
}

data "aws_partition" "current" {}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18: server access logs would need a second bucket per deployment; only this module's callers' roles use the bucket, and CloudTrail S3 data events are the account-level audit trail
  #checkov:skip=CKV_AWS_144: cross-region replication is a cost and residency decision for the account owner, who can add it to this bucket
  #checkov:skip=CKV2_AWS_62: event notifications are the caller's (the event export adds its own for AEP forwarding; MMS media need none)
  #checkov:skip=CKV_AWS_145: the caller chooses SSE-KMS or SSE-S3 (`encryption`): the event export defaults to SSE-KMS, MMS media are SSE-S3 so End User Messaging can read them
  bucket        = var.name
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs off: every object belongs to the bucket owner whoever writes it.
resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.encryption.sse_kms ? "aws:kms" : "AES256"
      kms_master_key_id = var.encryption.sse_kms ? var.encryption.kms_key_arn : null
    }
    # One KMS data key per bucket rather than per object: far fewer KMS calls.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "this" {
  count = var.versioning ? 1 : 0

  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-${var.purpose}"
    status = "Enabled"
    filter {}

    dynamic "expiration" {
      for_each = var.expiration_days > 0 ? [var.expiration_days] : []
      content {
        days = expiration.value
      }
    }

    dynamic "noncurrent_version_expiration" {
      for_each = var.versioning ? [var.noncurrent_expiration_days] : []
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
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.this.json

  # A bucket policy cannot be attached while public access settings are changing.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.arn, "${local.arn}/*"]
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
