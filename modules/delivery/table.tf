# Tracking records (`track#<trackingId>`) and the shared token bucket
# (`pace#<bucket>`), docs/DELIVERY.md "State". On-demand: queued traffic is
# paced, but AJO's bursts hit the accept path's reads.
resource "aws_dynamodb_table" "this" {
  #checkov:skip=CKV_AWS_28: records only deduplicate sends and expire by TTL; restoring old ones has no use
  name         = local.table_name
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

  tags = local.tags
}
