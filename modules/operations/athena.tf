# Delivery reports over the Glue table of events (modules/event_export),
# saved as Athena named queries. Each takes the year and month as execution
# parameters (`?`, asked for by the console), which prune the projected
# partitions. A message's outcome is its last final event; its price is
# counted once per message. TEXT_INBOUND events (replies) are not deliveries.

locals {
  athena_table = var.athena == null ? null : "\"${var.athena.database}\".\"${var.athena.table}\""
  journey      = var.athena == null ? null : "context['${var.athena.journey_context_key}']"

  failed_types = join(", ", [for t in [
    "TEXT_INVALID", "TEXT_INVALID_MESSAGE", "TEXT_UNREACHABLE", "TEXT_CARRIER_UNREACHABLE",
    "TEXT_CARRIER_BLOCKED", "TEXT_SPAM", "TEXT_UNKNOWN", "TEXT_TTL_EXPIRED", "TEXT_PROTECT_BLOCKED",
  ] : "'${t}'"])

  # One row per message of the month: its last final event, journey, country
  # and price.
  athena_messages = var.athena == null ? null : <<-SQL
    WITH messages AS (
      SELECT messageid,
             arbitrary(${local.journey})                                   AS journey_id,
             arbitrary(isocountrycode)                                    AS country,
             max_by(eventtype, IF(isfinal, eventtimestamp, 0))            AS outcome,
             max_by(messagestatusdescription, IF(isfinal, eventtimestamp, 0)) AS description,
             bool_or(isfinal)                                             AS final,
             max(totalmessageprice)                                       AS price,
             max(totalcarrierfee)                                         AS carrier_fee,
             max(totalmessageparts)                                       AS parts,
             min(messagerequesttimestamp)                                 AS requested
      FROM ${coalesce(local.athena_table, "-")}
      WHERE year = ? AND month = ? AND eventtype <> 'TEXT_INBOUND'
      GROUP BY messageid
    )
  SQL

  athena_queries = var.athena == null ? {} : {
    delivery-by-journey = {
      description = "Delivery rate per AJO journey (context ${var.athena.journey_context_key}) for a month: parameters year, month."
      query       = <<-SQL
        ${local.athena_messages}
        SELECT journey_id,
               count(*)                                                            AS messages,
               count_if(NOT final)                                                 AS awaiting_final_status,
               avg(IF(outcome IN ('TEXT_DELIVERED', 'TEXT_SUCCESSFUL'), 1.0, 0.0)) AS delivered_rate,
               avg(IF(outcome IN (${local.failed_types}), 1.0, 0.0))               AS failed_rate,
               avg(IF(outcome = 'TEXT_BLOCKED', 1.0, 0.0))                         AS blocked_rate
        FROM messages
        GROUP BY journey_id
        ORDER BY messages DESC;
      SQL
    }
    failures-by-journey = {
      description = "Failed and blocked messages per AJO journey and failure (event type, carrier's description) for a month: parameters year, month."
      query       = <<-SQL
        ${local.athena_messages}
        SELECT journey_id, outcome, description, count(*) AS messages
        FROM messages
        WHERE final AND outcome IN (${local.failed_types}, 'TEXT_BLOCKED')
        GROUP BY journey_id, outcome, description
        ORDER BY messages DESC;
      SQL
    }
    delivery-by-country = {
      description = "Delivery rate, failures and spend per destination country (isoCountryCode) for a month: parameters year, month."
      query       = <<-SQL
        ${local.athena_messages}
        SELECT country,
               count(*)                                                            AS messages,
               avg(IF(outcome IN ('TEXT_DELIVERED', 'TEXT_SUCCESSFUL'), 1.0, 0.0)) AS delivered_rate,
               count_if(outcome IN (${local.failed_types}))                        AS failed,
               count_if(outcome = 'TEXT_BLOCKED')                                  AS blocked,
               sum(coalesce(price, 0) + coalesce(carrier_fee, 0))                  AS usd
        FROM messages
        GROUP BY country
        ORDER BY messages DESC;
      SQL
    }
    cost-per-day = {
      description = "SMS cost per day (totalMessagePrice + totalCarrierFee, once per message, by request day UTC) for a month: parameters year, month."
      query       = <<-SQL
        ${local.athena_messages}
        SELECT date(from_unixtime(requested / 1000)) AS day,
               count(*)                               AS messages,
               sum(parts)                             AS parts,
               sum(coalesce(price, 0))                AS message_price_usd,
               sum(coalesce(carrier_fee, 0))          AS carrier_fee_usd,
               sum(coalesce(price, 0) + coalesce(carrier_fee, 0)) AS total_usd
        FROM messages
        GROUP BY 1
        ORDER BY 1;
      SQL
    }
  }
}

resource "aws_athena_named_query" "this" {
  for_each = local.athena_queries

  name        = "${var.name}-${each.key}"
  description = each.value.description
  database    = var.athena.database
  workgroup   = var.athena.workgroup
  query       = trimspace(each.value.query)
}
