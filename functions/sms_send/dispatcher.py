"""Lambda entry point of the dispatcher (dispatcher.handler), same zip as handler.handler.

SQS event source mapping with ReportBatchItemFailures: queued messages -> paced SMS
(docs/DELIVERY.md). Settings and clients are set up once here, at cold start.
"""

import os

from ajo_sms_send.dispatch import create_dispatcher

_DISPATCHER = create_dispatcher(os.environ)


def handler(event, context):
    """SQS event -> {"batchItemFailures": [...]}: only malformed or crashed records fail."""
    return _DISPATCHER.handle(event, context)
