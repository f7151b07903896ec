"""SMS send function for Adobe Journey Optimizer custom actions (see handler.py).

Modules, one concern each:
  config        cold start: the environment read once (the send function's and the
                dispatcher's settings) and the botocore clients (timeouts, no hidden retries)
  contract      the HTTP contract: SMS / MMS / VOICE / WHATSAPP (AWS's and Meta's limits,
                media types, voices, the WhatsApp message object; parts per message, the
                GSM-7 / UCS-2 segment count), ApiError and the error codes, the API Gateway
                proxy event -> JSON object, the proxy responses
  request       SmsRequest: what the senders send
  validation    JSON object -> SmsRequest (every contract field); E.164 normalisation
  senders       the Sender protocol; End User Messaging SMS v2
                Send{Text,Media,Voice}Message, Pinpoint SendMessages and End User
                Messaging Social SendWhatsAppMessage, each with its error mapping; the
                sender routing each channel to its API; transport and service failures
                -> errors, upstream text masked; RetryPolicy: bounded in-function
                retries with jitter
  stores        DynamoDB, exactly once: idempotency claim / record / release, and
                track#<trackingId>: one SMS per queued message
  telemetry     one JSON object per log line, and the CloudWatch metrics (EMF) it carries
  app           the request flow tying these together

Queued delivery (docs/DELIVERY.md; entry point dispatcher.py):
  delivery      the queue message (v1 SMS, v2 other channels) and SendMessage; the shared
                token bucket over message parts (pace#<identity>; WhatsApp's phone number
                IDs at their own rate); dispatch outcomes as Firehose events
  dispatch      the dispatcher's per-record flow
"""
