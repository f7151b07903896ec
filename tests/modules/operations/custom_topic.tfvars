# The caller's topic, a spend limit and thresholds of its own.
alarms = {
  topic_arn            = "arn:aws:sns:eu-west-1:123456789012:oncall"
  sms_spend            = { monthly_limit_usd = 100, threshold = 90 }
  api_latency_p99      = { threshold = 700, evaluation_periods = 2, period = 60 }
  queue_age            = { threshold = 25 }
  function_concurrency = { threshold = 90 }
  firehose_freshness   = { threshold = 900 }
  function_errors      = { threshold = 5 }
}
