# Two standard queues and the DLQ they share (modules/queue), each queue
# feeding the dispatcher through its own event source mapping: a promotional
# backlog cannot take the transactional queue's pollers; the token bucket
# keeps the sum at mps.
module "queues" {
  source = "../queue"

  queues                 = local.queue_names
  dead_letter_queue_name = local.dlq_name
  max_receive_count      = local.max_receive_count
  consumer = {
    function_arn        = module.dispatch_function.function_arn
    timeout             = var.function.timeout
    batch_size          = var.delivery.batch_size
    maximum_concurrency = var.delivery.maximum_concurrency
  }
  kms_key_arn = var.kms_key_arn
  tags        = local.tags
}

# These lived here before modules/queue: moved, not replaced, on upgrade.
moved {
  from = aws_sqs_queue.dlq
  to   = module.queues.aws_sqs_queue.dlq
}
moved {
  from = aws_sqs_queue.this
  to   = module.queues.aws_sqs_queue.this
}
moved {
  from = aws_sqs_queue_policy.this["transactional"]
  to   = module.queues.aws_sqs_queue_policy.this["transactional"]
}
moved {
  from = aws_sqs_queue_policy.this["promotional"]
  to   = module.queues.aws_sqs_queue_policy.this["promotional"]
}
moved {
  from = aws_sqs_queue_policy.this["dlq"]
  to   = module.queues.aws_sqs_queue_policy.dlq
}
moved {
  from = aws_lambda_event_source_mapping.this
  to   = module.queues.aws_lambda_event_source_mapping.this
}
