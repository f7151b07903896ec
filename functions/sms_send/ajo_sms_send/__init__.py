"""SMS send function for Adobe Journey Optimizer custom actions (see handler.py).

Modules, one concern each:
  config        environment read once at cold start
  event         API Gateway proxy event -> JSON object
  request       SmsRequest: what the senders send
  validation    JSON object -> SmsRequest (every contract field)
  phone         E.164 normalisation and masking
  segments      GSM-7 / UCS-2 segment count
  channels      SMS / MMS / VOICE / WHATSAPP: AWS's and Meta's limits, media types, voices,
                the WhatsApp message object; parts per message
  errors        ApiError and the contract's error codes
  responses     API Gateway proxy responses
  aws           botocore clients (timeouts, no hidden retries)
  upstream      transport and service failures -> errors, upstream text masked
  sms_v2        End User Messaging SMS v2 Send{Text,Media,Voice}Message + error mapping
  sms_v1        Pinpoint SendMessages + per-address result mapping
  whatsapp      End User Messaging Social SendWhatsAppMessage + error mapping; the
                sender routing each channel to its API
  retrying      bounded in-function retries with jitter
  idempotency   DynamoDB claim / record / release
  logs          one JSON object per log line
  metrics       the CloudWatch metrics (EMF) each log line carries
  app           the request flow tying these together

Queued delivery (docs/DELIVERY.md; entry point dispatcher.py):
  queueing      the queue message (v1 SMS, v2 other channels) and SendMessage
  tracking      track#<trackingId>: one SMS per queued message
  pacing        the shared token bucket over message parts (pace#<identity>; WhatsApp's
                phone number IDs at their own rate)
  outcomes      dispatch outcomes as Firehose events
  dispatch_config  the dispatcher's settings
  dispatch      the dispatcher's per-record flow
"""
