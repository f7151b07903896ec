# The events bucket, when created here (modules/bucket: private, encrypted,
# TLS-only, expiring).
module "bucket" {
  source = "../bucket"
  count  = var.bucket.create ? 1 : 0

  name                       = local.bucket_name
  purpose                    = "events"
  encryption                 = { sse_kms = local.uses_kms, kms_key_arn = local.kms_key_arn }
  force_destroy              = var.bucket.force_destroy
  versioning                 = var.bucket.versioning
  expiration_days            = var.bucket.expiration_days
  noncurrent_expiration_days = var.bucket.noncurrent_expiration_days
  tags                       = local.tags
}

# The bucket's resources lived in this module before modules/bucket: moved,
# not replaced, on upgrade.
moved {
  from = aws_s3_bucket.this[0]
  to   = module.bucket[0].aws_s3_bucket.this
}
moved {
  from = aws_s3_bucket_public_access_block.this[0]
  to   = module.bucket[0].aws_s3_bucket_public_access_block.this
}
moved {
  from = aws_s3_bucket_ownership_controls.this[0]
  to   = module.bucket[0].aws_s3_bucket_ownership_controls.this
}
moved {
  from = aws_s3_bucket_server_side_encryption_configuration.this[0]
  to   = module.bucket[0].aws_s3_bucket_server_side_encryption_configuration.this
}
moved {
  from = aws_s3_bucket_versioning.this[0]
  to   = module.bucket[0].aws_s3_bucket_versioning.this[0]
}
moved {
  from = aws_s3_bucket_lifecycle_configuration.this[0]
  to   = module.bucket[0].aws_s3_bucket_lifecycle_configuration.this
}
moved {
  from = aws_s3_bucket_policy.this[0]
  to   = module.bucket[0].aws_s3_bucket_policy.this
}
