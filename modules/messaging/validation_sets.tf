# Value sets the variables are validated against. Kept in one place so that the
# validation messages, the defaults and the docs cannot drift apart.
locals {
  # ARN shapes of the origination identities SendTextMessage accepts.
  arn_patterns = {
    phone_number = "^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:[0-9]{12}:phone-number/phone-[0-9a-f]{32}$"
    sender_id    = "^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:[0-9]{12}:sender-id/[A-Za-z0-9_-]{1,11}/[A-Z]{2}$"
    pool         = "^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:[0-9]{12}:pool/pool-[0-9a-f]{32}$"
  }

  # Every event type the provider accepts for matching_event_types: the EventType
  # enum of aws-sdk-go-v2/service/pinpointsmsvoicev2 v1.29.1, the SDK version the
  # aws provider 6.47.1 build vendors (it validates against this enum). Newer API
  # additions (RCS_*) are left out because this provider would reject them.
  accepted_event_types = concat(
    ["ALL", "TEXT_ALL", "VOICE_ALL", "MEDIA_ALL"],
    local.text_event_types, local.voice_event_types, local.media_event_types,
  )
  voice_event_types = [
    "VOICE_INITIATED", "VOICE_RINGING", "VOICE_ANSWERED", "VOICE_COMPLETED",
    "VOICE_BUSY", "VOICE_NO_ANSWER", "VOICE_FAILED", "VOICE_TTL_EXPIRED",
  ]
  media_event_types = [
    "MEDIA_PENDING", "MEDIA_QUEUED", "MEDIA_SUCCESSFUL", "MEDIA_DELIVERED",
    "MEDIA_INVALID", "MEDIA_INVALID_MESSAGE", "MEDIA_UNREACHABLE", "MEDIA_CARRIER_UNREACHABLE",
    "MEDIA_BLOCKED", "MEDIA_CARRIER_BLOCKED", "MEDIA_SPAM", "MEDIA_UNKNOWN", "MEDIA_TTL_EXPIRED",
    "MEDIA_FILE_INACCESSIBLE", "MEDIA_FILE_TYPE_UNSUPPORTED", "MEDIA_FILE_SIZE_EXCEEDED",
  ]

  # The default: every individual text (SMS) event type of that enum, and those
  # of each channel sent (var.channels). Listed rather than TEXT_ALL so the plan
  # shows exactly what is subscribed.
  default_event_types = concat(
    local.text_event_types,
    var.channels.mms ? local.media_event_types : [],
    var.channels.voice ? local.voice_event_types : [],
  )
  text_event_types = [
    "TEXT_SENT", "TEXT_PENDING", "TEXT_QUEUED", "TEXT_SUCCESSFUL", "TEXT_DELIVERED",
    "TEXT_INVALID", "TEXT_INVALID_MESSAGE", "TEXT_UNREACHABLE", "TEXT_CARRIER_UNREACHABLE",
    "TEXT_BLOCKED", "TEXT_CARRIER_BLOCKED", "TEXT_SPAM", "TEXT_UNKNOWN", "TEXT_TTL_EXPIRED",
    "TEXT_PROTECT_BLOCKED",
  ]

  # ISO 3166-1 alpha-2 codes that have a telephone numbering plan (the regions of
  # libphonenumber 9.0.43, minus its non-ISO AC, TA and XK): the same set the send
  # function parses national numbers with.
  iso_country_codes = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE", "BF",
    "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG",
    "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ",
    "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH",
    "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GT", "GU", "GW", "GY", "HK", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM",
    "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY",
    "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG",
    "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PR", "PS", "PT", "PW",
    "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN",
    "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT",
    "TV", "TW", "TZ", "UA", "UG", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA",
    "ZM", "ZW",
  ]
}
