"""Dispatch outcomes as delivery events: one JSON record per outcome to the events stream.

They land in the Firehose -> S3 stream of the SMS events (EVENTS_STREAM_NAME), so Athena
and the AEP forwarder see them beside the carrier events, joined on `trackingId` (also in
the SMS Context) and the request's `context`. Numbers are masked; the text never leaves.
The tracking record is the source of truth: a failed put is logged, not retried forever.
"""

from __future__ import annotations

import json
import time
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .logs import JsonLog
from .phone import mask
from .queueing import QueueMessage

EVENT_TYPES = {
    "SENT": "QUEUED_MESSAGE_SENT",
    "REJECTED": "QUEUED_MESSAGE_REJECTED",
    "EXPIRED": "QUEUED_MESSAGE_EXPIRED",
    "FAILED": "QUEUED_MESSAGE_FAILED",
    "UNKNOWN": "QUEUED_MESSAGE_UNKNOWN",
}
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def event(
    status: str, message: QueueMessage, message_id: str | None, code: str | None, now: float
) -> dict[str, Any]:
    return {
        "eventType": EVENT_TYPES[status],
        "eventVersion": "1.0",
        "eventTimestamp": int(now * 1000),
        "trackingId": message.tracking_id,
        "messageId": message_id,
        "code": code,
        "destinationPhoneNumber": mask(message.destination),
        "messageType": message.message_type,
        "segments": message.segments,
        "attempts": message.attempt,
        "context": message.context or {},
    }


class OutcomeStream:
    def __init__(self, client: Any | None, stream: str | None, log: JsonLog, clock=time.time):
        self._client = client
        self._stream = stream
        self._log = log
        self._clock = clock

    def put(
        self, status: str, message: QueueMessage, message_id: str | None = None, code: str | None = None
    ) -> None:
        if self._client is None or not self._stream:
            return
        record = event(status, message, message_id, code, self._clock())
        try:
            self._client.put_record(
                DeliveryStreamName=self._stream,
                Record={"Data": (_encode(record) + "\n").encode()},
            )
        except (BotoCoreError, ClientError) as exc:
            self._log.error(
                "sms_dispatch.event_failed",
                trackingId=message.tracking_id,
                outcome=status,
                errorType=type(exc).__name__,
            )
