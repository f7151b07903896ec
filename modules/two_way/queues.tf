# The inbound queue and its DLQ (modules/queue), feeding the inbound
# function. SSE with the given KMS key (its key policy must admit
# sns.amazonaws.com, which encrypts what it delivers), else SQS-managed; only
# the topic may send. A reply storm must not take the account's concurrency
# (nor the webhook's): the mapping's maximum concurrency bounds it.
module "queue" {
  source = "../queue"

  queues                 = { inbound = local.queue_name }
  dead_letter_queue_name = local.dlq_name
  max_receive_count      = var.queue.max_receive_count
  consumer = {
    function_arn        = module.inbound_function.function_arn
    timeout             = var.function.timeout
    batch_size          = var.queue.batch_size
    maximum_concurrency = var.queue.maximum_concurrency
  }
  publisher = {
    sid        = "TopicDelivers"
    service    = "sns.amazonaws.com"
    source_arn = local.topic_arn
  }
  kms_key_arn = var.kms_key_arn
  tags        = local.tags
}

# These lived here before modules/queue: moved, not replaced, on upgrade.
moved {
  from = aws_sqs_queue.dlq
  to   = module.queue.aws_sqs_queue.dlq
}
moved {
  from = aws_sqs_queue.this
  to   = module.queue.aws_sqs_queue.this["inbound"]
}
moved {
  from = aws_sqs_queue_policy.this
  to   = module.queue.aws_sqs_queue_policy.this["inbound"]
}
moved {
  from = aws_sqs_queue_policy.dlq
  to   = module.queue.aws_sqs_queue_policy.dlq
}
moved {
  from = aws_lambda_event_source_mapping.this
  to   = module.queue.aws_lambda_event_source_mapping.this["inbound"]
}
