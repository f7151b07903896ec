# Requested numbers are attached to this list; STOP replies land in it and the
# SMS API then refuses sends to those recipients (the send function maps that
# to 409 DESTINATION_OPTED_OUT).
resource "aws_pinpointsmsvoicev2_opt_out_list" "this" {
  count = var.opt_out_list.create ? 1 : 0

  name = local.opt_out_list_name
  tags = local.tags
}

locals {
  opt_out_list_name = coalesce(var.opt_out_list.name, var.name)
}
