# Idempotency records of the send function (CONTRACT: partition key `id`,
# TTL attribute `expiration`). On-demand: AJO's traffic comes in bursts.

resource "aws_dynamodb_table" "idempotency" {
  #checkov:skip=CKV_AWS_28: records only deduplicate retries and expire by TTL; restoring old ones has no use. Opt in with idempotency.point_in_time_recovery
  count        = var.idempotency.enabled ? 1 : 0
  name         = "${var.name}-idempotency"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expiration"
    enabled        = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  point_in_time_recovery {
    enabled = var.idempotency.point_in_time_recovery
  }

  deletion_protection_enabled = var.idempotency.deletion_protection
  tags                        = var.tags
}
