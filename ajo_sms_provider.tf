# The configuration AJO's SMS channel needs for a custom SMS provider
# (Administration > Channels > SMS configuration > API credentials, provider
# "Custom"), derived from the deployed endpoint and CONTRACT.md section 1.

locals {
  ajo_sms_provider = {
    # The send resource, the same endpoint the Custom Action calls.
    provider_url  = local.api_endpoint_url
    auth_type     = "API key"
    api_key_name  = var.auth_header_name
    api_key_token = "<the API key: run the api_key_read_command output>"
    # AJO fills {{toNumber}}, {{message}} and {{fromNumber}} (the channel
    # surface's sender) into this body; the fields are the send contract's.
    provider_payload = <<-EOT
      {
        "destinationNumber": "{{toNumber}}",
        "message": "{{message}}",
        "originationIdentity": "{{fromNumber}}"
      }
    EOT
    # AJO's inbound webhook field -> the field of the body the inbound
    # function posts (one to one, by design).
    inbound_webhook_payload = {
      InboundMessage  = "InboundMessage"
      ProfileNumber   = "ProfileNumber"
      RequestID       = "RequestID"
      OriginTimestamp = "OriginTimestamp"
      InboundNumber   = "InboundNumber"
    }
    # AJO's feedback webhook field -> the field of the body the forwarder posts.
    feedback_webhook_payload = {
      clientReference     = "clientReference"
      "statuses[].code"   = "statuses[].code"
      "statuses[].status" = "statuses[].status"
    }
    # AJO generates both webhook URLs; each goes into the module input named
    # here (null `url`: not configured yet).
    inbound_webhook = {
      input = "two_way.ajo_inbound_webhook.url"
      url   = try(var.two_way.ajo_inbound_webhook.url, null)
    }
    feedback_webhook = {
      input = "event_export.ajo_feedback_webhook.url"
      url   = try(var.event_export.ajo_feedback_webhook.url, null)
    }
  }
}
