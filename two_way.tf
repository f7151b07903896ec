# Two-way SMS (modules/two_way): the topic the requested numbers publish
# inbound messages to (messaging.tf attaches them), and the inbound function
# behind it, under the root's one KMS key, IAM guardrails and log retention.

module "two_way" {
  source = "./modules/two_way"
  count  = var.two_way.enabled ? 1 : 0

  name        = var.name
  tags        = var.tags
  kms_key_arn = var.kms_key_arn
  package     = { filename = local.packages.sms_inbound }

  self_managed_opt_outs = var.two_way.self_managed_opt_outs
  keywords              = var.two_way.keywords
  replies               = var.two_way.replies
  ajo_inbound_webhook   = var.two_way.ajo_inbound_webhook
  queue                 = var.two_way.queue

  function = merge(var.two_way.function, {
    runtime                   = var.functions.runtime
    architecture              = var.functions.architecture
    tracing_mode              = var.functions.tracing_mode
    log_retention_days        = var.functions.log_retention_days
    role_path                 = var.iam.role_path
    role_permissions_boundary = var.iam.role_permissions_boundary
  })

  # Replies go out from the number texted, under the send function's
  # permissions and configuration set (so their events are exported too).
  opt_out_list_name      = module.messaging.opt_out_list_name
  configuration_set_name = module.messaging.configuration_set_name
  send_policy_statements = module.messaging.send_policy_statements
  events_stream_name     = var.two_way.export_events && var.event_export.enabled ? module.event_export[0].firehose_stream_name : null
}
