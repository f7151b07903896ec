# What the send function's role needs, shaped for modules/function's
# `policy_statements`. SendTextMessage (and SendMediaMessage, SendVoiceMessage
# for the channels sent) is authorized on the origination identity (phone
# number, sender ID or pool) and on the configuration set named in the call, so
# the statement lists exactly those ARNs and nothing account-wide.
locals {
  send_text_statement = {
    sid = "SendTextMessage"
    actions = concat(
      ["sms-voice:SendTextMessage"],
      var.channels.mms ? ["sms-voice:SendMediaMessage"] : [],
      var.channels.voice ? ["sms-voice:SendVoiceMessage"] : [],
    )
    resources = concat(local.origination_identity_arns, [local.configuration_set_arn])
  }

  # Pinpoint v1 SendMessages authorizes on the app and its /messages resource.
  legacy_statements = var.legacy_pinpoint.enabled ? [{
    sid     = "PinpointSendMessages"
    actions = ["mobiletargeting:SendMessages"]
    resources = [
      aws_pinpoint_app.legacy[0].arn,
      "${aws_pinpoint_app.legacy[0].arn}/messages",
    ]
  }] : []

  send_policy_statements = concat([local.send_text_statement], local.legacy_statements)
}
