# Every option given: settings change, resources do not (full.yaml).
kms_key_arn           = "arn:aws:kms:eu-west-1:123456789012:key/0b7a1e3c-1111-2222-3333-444455556666"
self_managed_opt_outs = true
keywords              = { custom = ["YES", "NO"] }
replies               = { help = "ACME: reply STOP to opt out." }
ajo_inbound_webhook = {
  url                = "https://ajo.example.adobe.io/sms/inbound"
  secret_arn         = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ajo-webhook-AbCdEf"
  secret_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/9c9c9c9c-1111-2222-3333-444455556666"
  header_name        = "x-acme-secret"
}
events_stream_name = "ajo-sms-test-sms-events"
function = {
  timeout              = 90
  memory_size          = 512
  reserved_concurrency = 10
  max_attempts         = 4
  http_timeout_seconds = 10
}
queue = { max_receive_count = 8, batch_size = 5, maximum_concurrency = 4 }
