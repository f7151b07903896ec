# Origination identities: existing ones by ARN, plus optionally requested numbers.
# Creating a pool needs aws_pinpointsmsvoicev2_pool (provider >= 6.53), which the
# offline build (6.47.1) does not have: pools are passed in by ARN (see README).
resource "aws_pinpointsmsvoicev2_phone_number" "this" {
  for_each = var.phone_numbers

  iso_country_code    = each.value.iso_country_code
  number_type         = each.value.number_type
  message_type        = each.value.message_type
  number_capabilities = each.value.number_capabilities
  opt_out_list_name   = local.opt_out_list_name
  # Two-way: inbound messages go to the topic; who answers STOP/HELP
  # (AWS, or the inbound function with self-managed opt-outs) is the
  # channel's choice, the same for every number publishing to it.
  two_way_channel_arn           = try(var.two_way_channel.arn, null)
  two_way_channel_enabled       = var.two_way_channel != null
  self_managed_opt_outs_enabled = var.two_way_channel != null ? var.two_way_channel.self_managed_opt_outs : each.value.self_managed_opt_outs_enabled
  registration_id               = each.value.registration_id
  # Protected unless it is a simulator number: a released toll-free or 10DLC
  # number cannot be got back, and its registration took weeks.
  deletion_protection_enabled = coalesce(each.value.deletion_protection_enabled, each.value.number_type != "SIMULATOR")
  tags                        = merge(local.tags, { Name = "${var.name}-${each.key}" })

  # The opt-out list must exist before a number can be attached to it.
  depends_on = [aws_pinpointsmsvoicev2_opt_out_list.this]
}

locals {
  existing_identity_arns = concat(
    var.origination_identities.pool_arns,
    var.origination_identities.phone_number_arns,
    var.origination_identities.sender_id_arns,
  )
  requested_number_arns = [for key in sort(keys(var.phone_numbers)) : aws_pinpointsmsvoicev2_phone_number.this[key].arn]
  origination_identity_arns = concat(
    var.origination_identities.pool_arns,
    var.origination_identities.phone_number_arns,
    local.requested_number_arns,
    var.origination_identities.sender_id_arns,
  )

  # Explicit choice first (a requested number's key, or an existing ARN), else
  # the first pool, phone number, requested number, then sender ID.
  default_origination_identity = (
    var.default_origination_identity == null ? try(local.origination_identity_arns[0], null) :
    contains(keys(var.phone_numbers), var.default_origination_identity) ? aws_pinpointsmsvoicev2_phone_number.this[var.default_origination_identity].arn :
    var.default_origination_identity
  )
}
