# LEGACY (opt-in): a Pinpoint v1 application and its SMS channel, for callers of
# the v1 SendMessages API (send function with SMS_API=v1). Amazon Pinpoint's
# engagement features ended on 2026-10-30; SMS continues as AWS End User
# Messaging (the v2 resources in this module), which new deployments should use.
resource "aws_pinpoint_app" "legacy" {
  count = var.legacy_pinpoint.enabled ? 1 : 0

  name = "${var.name}-legacy"
  tags = local.tags
}

resource "aws_pinpoint_sms_channel" "legacy" {
  count = var.legacy_pinpoint.enabled ? 1 : 0

  application_id = aws_pinpoint_app.legacy[0].application_id
  enabled        = true
  sender_id      = var.legacy_pinpoint.sender_id
  short_code     = var.legacy_pinpoint.short_code
}
