"""Lambda entry point of the event forwarder (logic in event_forwarder): SMS
events to AEP and/or the AJO SMS feedback webhook.

Trigger: SQS messages carrying S3 ObjectCreated notifications for Firehose's
event objects. Returns the SQS partial-batch response so only failed objects
are retried (and, after maxReceiveCount, moved to the dead-letter queue)."""

from event_forwarder import app

# Built once per execution environment: config, AWS clients, token cache.
_forward = app.build()


def handler(event, context):
    return _forward(event, context)
