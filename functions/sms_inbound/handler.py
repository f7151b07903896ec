"""Lambda entry point of the two-way SMS inbound function (logic in sms_inbound).

Trigger: an SQS queue subscribed to the two-way number's SNS topic (raw message
delivery off: each body is the SNS envelope). Returns the SQS partial-batch response
so only failed messages come back (and, after maxReceiveCount, go to the DLQ)."""

from sms_inbound import app

# Built once per execution environment: config, AWS clients, the webhook secret cache.
_process = app.build()


def handler(event, context):
    return _process(event, context)
