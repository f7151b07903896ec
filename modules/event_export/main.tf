data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  tags       = merge(var.tags, { "ajo-sms:module" = "event_export" })

  # Bucket: created here (a deterministic default name, account-scoped so it
  # is globally unique per account) or existing (the part after "arn:aws:s3:::").
  # Built from known parts so every policy naming the bucket is known at plan.
  bucket_name = (var.bucket.create
    ? coalesce(var.bucket.name, "${var.name}-events-${local.account_id}")
    : split(":::", var.bucket.existing_arn)[1]
  )
  bucket_arn = "arn:${local.partition}:s3:::${local.bucket_name}"

  # SSE-KMS: the given key, else (created bucket only) a key created here. An
  # explicit create_kms_key wins: it is known at plan even when the given ARN
  # is not (a key created in the same apply).
  create_kms_key = var.bucket.create && var.bucket.encryption.type == "SSE-KMS" && (
    var.bucket.encryption.create_kms_key != null
    ? var.bucket.encryption.create_kms_key
    : var.bucket.encryption.kms_key_arn == null
  )
  kms_key_arn = (
    var.bucket.encryption.type != "SSE-KMS" ? null :
    local.create_kms_key ? aws_kms_key.this[0].arn : var.bucket.encryption.kms_key_arn
  )
  # SSE-KMS always has a customer managed key (created or given, validated),
  # so whether a key grant exists is known from the type alone.
  uses_kms = var.bucket.encryption.type == "SSE-KMS"

  # Arrival-date partitions (Firehose's clock, UTC), Hive style for Athena.
  date_partitions = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/"

  # The Firehose streams (firehose.tf), by key; names known at plan. WhatsApp
  # events (whatsapp_events) have a stream of their own under a prefix of their
  # own, beside delivery.prefix, never in it: their JSON is End User Messaging
  # Social's, not the SMS record the Glue table and the forwarder read; and no
  # dynamic partitioning (the SMS events' eventType query does not apply).
  stream_name     = "${var.name}-sms-events"
  whatsapp_prefix = "whatsapp-events/"
  streams = merge(
    {
      sms = {
        name = local.stream_name
        # Bucket-level objects the stream writes, for its role's policy.
        objects = [var.delivery.prefix, var.delivery.error_prefix]
        prefix = (var.delivery.dynamic_partitioning
          ? "${var.delivery.prefix}${local.date_partitions}event_type=!{partitionKeyFromQuery:event_type}/"
          : "${var.delivery.prefix}${local.date_partitions}"
        )
        error_output_prefix = "${var.delivery.error_prefix}!{firehose:error-output-type}/${local.date_partitions}"
        partitioned         = var.delivery.dynamic_partitioning
        log_stream          = "DestinationDelivery"
      }
    },
    !var.whatsapp_events ? {} : {
      whatsapp = {
        name                = "${var.name}-whatsapp-events"
        objects             = [local.whatsapp_prefix]
        prefix              = "${local.whatsapp_prefix}${local.date_partitions}"
        error_output_prefix = "${var.delivery.error_prefix}whatsapp/!{firehose:error-output-type}/${local.date_partitions}"
        partitioned         = false
        log_stream          = "WhatsAppDelivery"
      }
    },
  )

  # Where the AEP forwarder keeps its per-object progress and rejected events.
  forwarder_prefix  = "aep-forwarder/"
  checkpoint_prefix = "${local.forwarder_prefix}checkpoints/"
  rejected_prefix   = "${local.forwarder_prefix}rejected/"
  # The AJO feedback target's own (fixed in functions/event_forwarder).
  feedback_prefix = "ajo-feedback/"

  # Retention periods CloudWatch Logs accepts (0: never expire), for validation.
  log_retention_values = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
}
