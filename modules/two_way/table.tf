# Progress per inbound message (hash key `id` = inboundMessageId, TTL
# `expiresAt`), so a redelivered message repeats no step: no second reply,
# webhook post or opt-out change. On-demand: replies come in bursts after a
# journey's send. PITR on: the records say which opt-outs were applied.
resource "aws_dynamodb_table" "this" {
  name         = local.table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  point_in_time_recovery {
    enabled = true
  }

  tags = local.tags
}
