module "messaging" {
  source = "./modules/messaging"

  name                         = var.name
  tags                         = var.tags
  role_path                    = var.iam.role_path
  role_permissions_boundary    = var.iam.role_permissions_boundary
  configuration_set            = merge(var.sms.configuration_set, { default_message_type = var.sms.default_message_type })
  opt_out_list                 = var.sms.opt_out_list
  origination_identities       = var.sms.origination_identities
  phone_numbers                = var.sms.phone_numbers
  default_origination_identity = var.sms.default_origination_identity
  legacy_pinpoint              = merge(var.sms.legacy_pinpoint, { enabled = local.use_legacy_v1 })
  channels                     = { mms = local.mms, voice = local.voice }

  # Requested numbers publish their inbound messages to the two-way topic.
  two_way_channel = var.two_way.enabled ? {
    arn                   = module.two_way[0].topic_arn
    self_managed_opt_outs = var.two_way.self_managed_opt_outs
  } : null

  event_destination = var.event_export.enabled && var.event_export.attach_to_configuration_set ? {
    firehose_stream_arn  = module.event_export[0].firehose_stream_arn
    matching_event_types = var.sms.event_types
  } : null
}
