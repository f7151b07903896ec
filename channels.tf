# Channels besides SMS through the same endpoint (request field `channel`,
# docs/CONTRACT.md): MMS (SendMediaMessage, media from one S3 bucket), voice
# (SendVoiceMessage) and WhatsApp (End User Messaging Social SendWhatsAppMessage;
# its events topic: whatsapp.tf). Each is opt-in; the send function and the
# dispatcher get the same settings and permissions.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  # The VoiceId enum of botocore's pinpoint-sms-voice-v2 model (SendVoiceMessage).
  voice_ids = [
    "AMY", "ASTRID", "BIANCA", "BRIAN", "CAMILA", "CARLA", "CARMEN", "CELINE", "CHANTAL", "CONCHITA",
    "CRISTIANO", "DORA", "EMMA", "ENRIQUE", "EWA", "FILIZ", "GERAINT", "GIORGIO", "GWYNETH", "HANS",
    "INES", "IVY", "JACEK", "JAN", "JOANNA", "JOEY", "JUSTIN", "KARL", "KENDRA", "KIMBERLY", "LEA",
    "LIV", "LOTTE", "LUCIA", "LUPE", "MADS", "MAJA", "MARLENE", "MATHIEU", "MATTHEW", "MAXIM", "MIA",
    "MIGUEL", "MIZUKI", "NAJA", "NICOLE", "PENELOPE", "RAVEENA", "RICARDO", "RUBEN", "RUSSELL",
    "SALLI", "SEOYEON", "TAKUMI", "TATYANA", "VICKI", "VITORIA", "ZEINA", "ZHIYU",
  ]

  mms      = var.channels.mms != null
  voice    = var.channels.voice != null
  whatsapp = var.channels.whatsapp != null

  whatsapp_phone_number_ids = try(var.channels.whatsapp.phone_number_ids, [])
  # The phone-number-id resource type of the Service Authorization Reference
  # ("Actions, resources, and condition keys for AWS End User Messaging Social"):
  # arn:${Partition}:social-messaging:${Region}:${Account}:phone-number-id/${OriginationPhoneNumberId},
  # the ID without its "phone-number-id-" prefix: botocore's socialmessaging model
  # has phone number ARNs match "arn:.*:phone-number-id/[0-9a-zA-Z]+" (no '-'), while
  # the IDs are "phone-number-id-01234567890123456789012345678901". Built from known
  # parts, so the sending roles' policies are known at plan.
  whatsapp_phone_number_arns = [
    for id in local.whatsapp_phone_number_ids :
    "arn:${data.aws_partition.current.partition}:social-messaging:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:phone-number-id/${trimprefix(id, "phone-number-id-")}"
  ]

  media_bucket        = try(var.channels.mms.media_bucket, null)
  create_media_bucket = local.mms && try(local.media_bucket.create, false)
  # Built from known parts so the policies naming the bucket are known at plan.
  media_bucket_name = !local.mms ? null : (local.create_media_bucket
    ? coalesce(local.media_bucket.name, "${var.name}-media-${data.aws_caller_identity.current.account_id}")
    : split(":::", local.media_bucket.existing_arn)[1]
  )
  media_bucket_arn = local.mms ? "arn:${data.aws_partition.current.partition}:s3:::${local.media_bucket_name}" : null
  # A created bucket is SSE-S3: End User Messaging fetches the media itself
  # (it takes no forward access session), and AWS documents no key grant for
  # it, so a customer managed key could leave every MMS unsendable. An
  # existing bucket's key is whatever the caller names.
  media_kms_key_arn = try(local.media_bucket.kms_key_arn, null)

  channel_environment = merge(
    { CHANNELS = join(",", concat(["SMS"], local.mms ? ["MMS"] : [], local.voice ? ["VOICE"] : [], local.whatsapp ? ["WHATSAPP"] : [])) },
    local.mms ? { MEDIA_BUCKET = local.media_bucket_name } : {},
    local.voice ? { DEFAULT_VOICE_ID = var.channels.voice.default_voice_id } : {},
    # The first ID is the default origination. WHATSAPP_MPS paces the dispatcher
    # (per phone number); the send function ignores it.
    local.whatsapp ? {
      WHATSAPP_PHONE_NUMBER_IDS = join(",", local.whatsapp_phone_number_ids)
      WHATSAPP_META_API_VERSION = var.channels.whatsapp.meta_api_version
      WHATSAPP_MPS              = tostring(var.channels.whatsapp.mps)
    } : {},
  )

  # End User Messaging sends only media its caller may read (AWS's MMS guide):
  # the sending roles read the media bucket's objects, and nothing else in it.
  channel_policy_statements = concat(
    local.mms ? [{
      sid       = "ReadMedia"
      actions   = ["s3:GetObject"]
      resources = ["${local.media_bucket_arn}/*"]
    }] : [],
    local.media_kms_key_arn != null ? [{
      sid       = "DecryptMedia"
      actions   = ["kms:Decrypt"]
      resources = [local.media_kms_key_arn]
      condition = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${data.aws_region.current.region}.amazonaws.com"]
      }]
    }] : [],
    # Sending from the configured phone numbers only, not every number of the account.
    local.whatsapp ? [{
      sid       = "SendWhatsAppMessage"
      actions   = ["social-messaging:SendWhatsAppMessage"]
      resources = local.whatsapp_phone_number_arns
    }] : [],
  )
}

module "media_bucket" {
  source = "./modules/bucket"
  count  = local.create_media_bucket ? 1 : 0

  name            = local.media_bucket_name
  purpose         = "media"
  encryption      = { sse_kms = false }
  force_destroy   = local.media_bucket.force_destroy
  expiration_days = local.media_bucket.expiration_days
  tags            = var.tags
}
