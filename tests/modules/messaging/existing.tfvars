# The common case: identities registered outside Terraform, events to Firehose.
origination_identities = {
  pool_arns         = ["arn:aws:sms-voice:eu-west-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef"]
  phone_number_arns = ["arn:aws:sms-voice:eu-west-1:123456789012:phone-number/phone-abcdef0123456789abcdef0123456789"]
  sender_id_arns    = ["arn:aws:sms-voice:eu-west-1:123456789012:sender-id/ACMECO/GB"]
}
event_destination = {
  firehose_stream_arn = "arn:aws:firehose:eu-west-1:123456789012:deliverystream/ajo-sms-test-sms-events"
}
