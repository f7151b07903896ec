resource "aws_pinpointsmsvoicev2_configuration_set" "this" {
  count = var.configuration_set.create ? 1 : 0

  name                 = local.configuration_set_name
  default_message_type = var.configuration_set.default_message_type
  default_sender_id    = var.configuration_set.default_sender_id
  tags                 = local.tags
}
