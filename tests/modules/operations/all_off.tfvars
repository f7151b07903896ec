# Every alarm turned off (the spend alarm's limit is still required).
alarms = {
  api_5xx_rate              = { enabled = false }
  api_latency_p99           = { enabled = false }
  api_4xx_rate              = { enabled = false }
  function_errors           = { enabled = false }
  function_throttles        = { enabled = false }
  function_concurrency      = { enabled = false }
  dead_letter_queue         = { enabled = false }
  queue_age                 = { enabled = false }
  queued_expired            = { enabled = false }
  firehose_delivery         = { enabled = false }
  firehose_freshness        = { enabled = false }
  sms_spend                 = { enabled = false, monthly_limit_usd = 100 }
  sms_delivery_failure_rate = { enabled = false }
}
