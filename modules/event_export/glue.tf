# Optional Glue table over the events for Athena delivery reports (README has
# example queries). Partition projection: no crawler, no MSCK REPAIR, and new
# days are queryable as soon as Firehose writes them.
locals {
  glue_database_name = coalesce(var.glue.database_name, replace(var.name, "-", "_"))

  glue_projection = merge(
    {
      "projection.enabled"     = "true"
      "projection.year.type"   = "integer"
      "projection.year.range"  = "${var.glue.projection_start_year},2100"
      "projection.month.type"  = "integer"
      "projection.month.range" = "1,12"
      # Firehose writes MM and dd: two digits, zero-padded.
      "projection.month.digits" = "2"
      "projection.day.type"     = "integer"
      "projection.day.range"    = "1,31"
      "projection.day.digits"   = "2"
      "storage.location.template" = (var.delivery.dynamic_partitioning
        ? "s3://${local.bucket_name}/${var.delivery.prefix}year=$${year}/month=$${month}/day=$${day}/event_type=$${event_type}/"
        : "s3://${local.bucket_name}/${var.delivery.prefix}year=$${year}/month=$${month}/day=$${day}/"
      )
    },
    var.delivery.dynamic_partitioning ? {
      "projection.event_type.type"   = "enum"
      "projection.event_type.values" = join(",", var.event_types)
    } : {},
  )

  # The SMS event record (End User Messaging event format, version 1.0).
  # Column names are lower case; the OpenX SerDe matches keys case-insensitively.
  glue_columns = {
    eventtype                = "string"
    eventversion             = "string"
    eventtimestamp           = "bigint"
    isfinal                  = "boolean"
    originationphonenumber   = "string"
    destinationphonenumber   = "string"
    isinternationalsend      = "boolean"
    isocountrycode           = "string"
    mcc                      = "string"
    mnc                      = "string"
    carriername              = "string"
    messageid                = "string"
    messagerequesttimestamp  = "bigint"
    messageencoding          = "string"
    messagetype              = "string"
    messagestatus            = "string"
    messagestatusdescription = "string"
    context                  = "map<string,string>"
    totalmessageparts        = "int"
    totalmessageprice        = "double"
    totalcarrierfee          = "double"
  }
  glue_column_order = [
    "eventtype", "eventversion", "eventtimestamp", "isfinal", "originationphonenumber",
    "destinationphonenumber", "isinternationalsend", "isocountrycode", "mcc", "mnc", "carriername",
    "messageid", "messagerequesttimestamp", "messageencoding", "messagetype", "messagestatus",
    "messagestatusdescription", "context", "totalmessageparts", "totalmessageprice", "totalcarrierfee",
  ]
}

resource "aws_glue_catalog_database" "this" {
  count = var.glue.enabled && var.glue.create_database ? 1 : 0

  name        = local.glue_database_name
  description = "${var.name}: SMS delivery events"
  tags        = local.tags
}

resource "aws_glue_catalog_table" "events" {
  count = var.glue.enabled ? 1 : 0

  name          = var.glue.table_name
  database_name = var.glue.create_database ? aws_glue_catalog_database.this[0].name : local.glue_database_name
  description   = "SMS delivery events written by Firehose ${local.stream_name}"
  table_type    = "EXTERNAL_TABLE"

  parameters = merge(local.glue_projection, {
    "classification"  = "json"
    "compressionType" = "gzip"
    "EXTERNAL"        = "TRUE"
  })

  dynamic "partition_keys" {
    for_each = concat(["year", "month", "day"], var.delivery.dynamic_partitioning ? ["event_type"] : [])
    content {
      name = partition_keys.value
      type = partition_keys.value == "event_type" ? "string" : "int"
    }
  }

  storage_descriptor {
    location      = "s3://${local.bucket_name}/${var.delivery.prefix}"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

    ser_de_info {
      serialization_library = "org.openx.data.jsonserde.JsonSerDe"
      parameters = {
        # Skip a damaged line instead of failing the whole query.
        "ignore.malformed.json" = "true"
        "case.insensitive"      = "true"
      }
    }

    dynamic "columns" {
      for_each = local.glue_column_order
      content {
        name = columns.value
        type = local.glue_columns[columns.value]
      }
    }
  }
}
