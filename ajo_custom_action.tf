# The configuration AJO's Custom Action form needs, derived from the
# deployed endpoint and CONTRACT.md section 1.

locals {
  # The custom domain, when there is one, is what AJO should call.
  api_endpoint_url = coalesce(module.api.custom_domain_url, module.api.invoke_url)

  ajo_custom_action = {
    url    = local.api_endpoint_url
    method = "POST"
    headers = [
      {
        name  = var.auth_header_name
        type  = "Constant"
        value = "<the API key: run the api_key_read_command output>"
      },
    ]
    # Paste `request_payload_sample` into the Request field, then mark each
    # field Constant or Variable as listed here.
    payload_fields = concat([
      { name = "destinationNumber", type = "Variable", optional = false, description = "Profile phone number, E.164 or national format" },
      # Optional only for a media-only MMS or a WhatsApp template message.
      { name = "message", type = "Variable", optional = local.mms || local.whatsapp, description = local.mms || local.voice || local.whatsapp ? join("", [
        "Text: SMS${local.mms ? " and MMS" : ""} up to 1,600 characters",
        local.mms ? " (MMS: optional with mediaUrls)" : "",
        local.voice ? ", VOICE up to 3,000 (SSML 6,000)" : "",
        local.whatsapp ? ", WHATSAPP free-form text only within 24 h of the customer's last message (else a template, no message)" : "",
      ]) : "SMS text, 1-1600 characters" },
      { name = "idempotencyKey", type = "Variable", optional = true, description = "Unique per profile and step (e.g. journey version ID + profile ID) so AJO retries never send twice" },
      { name = "defaultCountry", type = "Constant", optional = true, description = "ISO country for national numbers (default ${var.sms.default_country})" },
      { name = "messageType", type = "Constant", optional = true, description = "TRANSACTIONAL or PROMOTIONAL (default ${var.sms.default_message_type})" },
      { name = "originationIdentity", type = "Constant", optional = true, description = "Phone number, sender ID or pool; default from the module" },
      { name = "context", type = "Variable", optional = true, description = "Up to 5 string pairs (journeyId, profileId...) echoed in delivery events" },
      { name = "dryRun", type = "Constant", optional = true, description = "true validates end to end without sending" },
      { name = "delivery", type = "Constant", optional = true, description = "queued (202 QUEUED, sent at the identities' pace) or direct (200 SENT, for one-time codes); default ${var.delivery.mode}" },
      ],
      local.mms || local.voice || local.whatsapp ? [
        { name = "channel", type = "Constant", optional = true, description = "SMS (default)${local.mms ? ", MMS" : ""}${local.voice ? ", VOICE" : ""}${local.whatsapp ? ", WHATSAPP" : ""}" },
      ] : [],
      local.mms ? [
        { name = "mediaUrls", type = "Constant", optional = true, description = "MMS: one S3 URI in s3://${coalesce(local.media_bucket_name, "-")}/ (image up to 2 MB, other media 600 KB)" },
      ] : [],
      local.voice ? [
        { name = "voiceId", type = "Constant", optional = true, description = "VOICE: the voice that reads the message (default ${try(var.channels.voice.default_voice_id, "MATTHEW")})" },
        { name = "messageBodyTextType", type = "Constant", optional = true, description = "VOICE: TEXT (up to 3,000 characters, default) or SSML (up to 6,000)" },
      ] : [],
      # A WhatsApp template message instead of message: a template Meta approved,
      # sendable at any time to a customer who opted in.
      local.whatsapp ? [
        { name = "templateName", type = "Constant", optional = true, description = "WHATSAPP: name of a Meta-approved message template (with templateLanguage; instead of message)" },
        { name = "templateLanguage", type = "Constant", optional = true, description = "WHATSAPP: the template's language code, such as en_US" },
        { name = "templateParameters", type = "Variable", optional = true, description = "WHATSAPP: strings for the template body's {{1}}, {{2}}, ... in order" },
      ] : [],
    )
    request_payload_sample = {
      destinationNumber = "+14155550100"
      message           = "Your code is 123456"
      idempotencyKey    = "journeyVersion-profileId-step"
      defaultCountry    = var.sms.default_country
      messageType       = var.sms.default_message_type
      context           = { journeyId = "journey-id", profileId = "profile-id" }
      dryRun            = false
      delivery          = var.delivery.mode
    }
    response_payload_sample = {
      status            = "SENT"
      messageId         = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
      destinationNumber = "+14155550100"
      segments          = 1
      encoding          = "GSM-7"
      idempotentReplay  = false
    }
    # What a queued request answers (HTTP 202); the outcome follows in the
    # delivery events, joined on trackingId.
    queued_response_payload_sample = {
      status            = "QUEUED"
      trackingId        = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
      destinationNumber = "+14155550100"
      segments          = 1
      encoding          = "GSM-7"
      idempotentReplay  = false
    }
    failure_response_sample = {
      status = "REJECTED"
      error = {
        code    = "INVALID_PHONE_NUMBER"
        message = "destinationNumber is not a valid phone number"
        field   = "destinationNumber"
      }
      # API Gateway's ID of the request (its access log and the function's log line).
      requestId = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    }
  }
}
