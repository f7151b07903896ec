# Firehose -> S3, one stream per kind of event (local.streams): GZIP,
# encrypted at rest, errors logged to CloudWatch, all under one role and one
# log group.
resource "aws_kinesis_firehose_delivery_stream" "this" {
  #checkov:skip=CKV_AWS_241: buffered records are encrypted with an AWS-owned key unless delivery.firehose_kms_key_arn names a customer key (the caller's choice: the key policy must then admit Firehose); at rest in S3 they are under the bucket's key
  for_each = local.streams

  name        = each.value.name
  destination = "extended_s3"

  # Direct PUT source (End User Messaging calls PutRecordBatch, SNS puts the
  # WhatsApp events): encrypt the records Firehose buffers, with AWS's key
  # unless one is given.
  server_side_encryption {
    enabled  = true
    key_type = var.delivery.firehose_kms_key_arn == null ? "AWS_OWNED_CMK" : "CUSTOMER_MANAGED_CMK"
    key_arn  = var.delivery.firehose_kms_key_arn
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose.arn
    bucket_arn          = local.bucket_arn
    prefix              = each.value.prefix
    error_output_prefix = each.value.error_output_prefix
    # Dynamic partitioning needs at least 64 MiB; 5 is Firehose's default.
    buffering_size     = coalesce(var.delivery.buffering_size, each.value.partitioned ? 64 : 5)
    buffering_interval = var.delivery.buffering_interval
    compression_format = "GZIP"

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.firehose.name
      log_stream_name = aws_cloudwatch_log_stream.this[each.key].name
    }

    dynamic "dynamic_partitioning_configuration" {
      for_each = each.value.partitioned ? [1] : []
      content {
        enabled = true
      }
    }

    processing_configuration {
      enabled = true

      # One event per line: Athena's JSON SerDe and the AEP forwarder read lines.
      processors {
        type = "AppendDelimiterToRecord"
      }

      dynamic "processors" {
        for_each = each.value.partitioned ? [1] : []
        content {
          type = "MetadataExtraction"
          parameters {
            parameter_name  = "JsonParsingEngine"
            parameter_value = "JQ-1.6"
          }
          parameters {
            parameter_name  = "MetadataExtractionQuery"
            parameter_value = "{event_type:.eventType}"
          }
        }
      }
    }
  }

  tags = local.tags

  # bucket_arn is built from the name, so order explicitly: the bucket, its
  # encryption and the role's permissions exist before Firehose delivers, and
  # outlive it on destroy.
  depends_on = [
    module.bucket,
    aws_iam_role_policy.firehose,
    aws_iam_role_policy.firehose_kms,
  ]
}

resource "aws_cloudwatch_log_stream" "this" {
  for_each = local.streams

  name           = each.value.log_stream
  log_group_name = aws_cloudwatch_log_group.firehose.name
}

# One stream per kind of event since WhatsApp's: moved, not replaced, on upgrade.
moved {
  from = aws_kinesis_firehose_delivery_stream.this
  to   = aws_kinesis_firehose_delivery_stream.this["sms"]
}
moved {
  from = aws_kinesis_firehose_delivery_stream.whatsapp[0]
  to   = aws_kinesis_firehose_delivery_stream.this["whatsapp"]
}
moved {
  from = aws_cloudwatch_log_stream.firehose
  to   = aws_cloudwatch_log_stream.this["sms"]
}
moved {
  from = aws_cloudwatch_log_stream.whatsapp[0]
  to   = aws_cloudwatch_log_stream.this["whatsapp"]
}

locals {
  # Names and ARNs from known parts: a policy document referring to a resource
  # that is still to be created would only be read at apply, hiding it from plans.
  firehose_log_group     = "/aws/kinesisfirehose/${local.stream_name}"
  firehose_log_group_arn = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.firehose_log_group}"
}

resource "aws_cloudwatch_log_group" "firehose" {
  name              = local.firehose_log_group
  retention_in_days = var.delivery.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = local.tags
}

resource "aws_iam_role" "firehose" {
  name_prefix          = substr("${var.name}-firehose-", 0, 38)
  path                 = var.role_path
  permissions_boundary = var.role_permissions_boundary
  description          = var.whatsapp_events ? "Firehose ${local.stream_name} and ${try(local.streams.whatsapp.name, "")} deliver SMS and WhatsApp events to S3" : "Firehose ${local.stream_name} delivers SMS events to S3"
  assume_role_policy   = data.aws_iam_policy_document.firehose_trust.json
  tags                 = local.tags
}

# Firehose passes the account ID as the external ID (confused-deputy guard).
data "aws_iam_policy_document" "firehose_trust" {
  statement {
    sid     = "FirehoseAssumeRole"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role_policy" "firehose" {
  name   = "deliver-to-s3"
  role   = aws_iam_role.firehose.id
  policy = data.aws_iam_policy_document.firehose.json
}

# Least privilege: the bucket, objects under the events and error prefixes only
# (and the WhatsApp events' with whatsapp_events), and the streams' log streams
# (the bucket key: its own policy below, so this one is known at plan even when
# the key is created in the same apply).
data "aws_iam_policy_document" "firehose" {
  statement {
    sid       = "BucketLevel"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"]
    resources = [local.bucket_arn]
  }

  statement {
    sid     = "EventObjects"
    actions = ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"]
    resources = flatten([
      for stream in values(local.streams) : [for p in stream.objects : "${local.bucket_arn}/${p}*"]
    ])
  }

  statement {
    sid     = "ErrorLogging"
    actions = ["logs:PutLogEvents"]
    resources = [
      for stream in values(local.streams) : "${local.firehose_log_group_arn}:log-stream:${stream.log_stream}"
    ]
  }
}

resource "aws_iam_role_policy" "firehose_kms" {
  count = local.uses_kms ? 1 : 0

  name   = "bucket-key"
  role   = aws_iam_role.firehose.id
  policy = data.aws_iam_policy_document.firehose_kms[0].json
}

# The bucket's key, only through S3 and only for this bucket.
data "aws_iam_policy_document" "firehose_kms" {
  count = local.uses_kms ? 1 : 0

  statement {
    sid       = "BucketKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [local.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
    # With S3 Bucket Keys the context is the bucket ARN, without them the object's.
    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:s3:arn"
      values   = [local.bucket_arn, "${local.bucket_arn}/*"]
    }
  }
}
