"""Dispatch outcomes as delivery events: one JSON record per outcome to the events stream.

They land in the Firehose -> S3 stream of the SMS events (EVENTS_STREAM_NAME), so Athena
and the AEP forwarder see them beside the carrier events, joined on `trackingId` (also in
the SMS Context) and the request's `context`. Numbers are masked; the text never leaves.
A batch's outcomes go in one PutRecordBatch when the batch is done (one call, not one per
message, on the dispatcher's path between sends). The tracking record is the source of
truth: a failed put is logged per record, not retried.
"""

from __future__ import annotations

import json
import time
from typing import Any

from ajo_runtime.masking import mask
from botocore.exceptions import BotoCoreError, ClientError

from .logs import JsonLog
from .queueing import QueueMessage

EVENT_TYPES = {
    "SENT": "QUEUED_MESSAGE_SENT",
    "REJECTED": "QUEUED_MESSAGE_REJECTED",
    "EXPIRED": "QUEUED_MESSAGE_EXPIRED",
    "FAILED": "QUEUED_MESSAGE_FAILED",
    "UNKNOWN": "QUEUED_MESSAGE_UNKNOWN",
}
MAX_BATCH = 500  # PutRecordBatch's limit (a batch of the dispatcher holds at most 10)
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
        "channel": message.channel,
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
        self._pending: list[tuple[str, str, bytes]] = []  # (trackingId, outcome, data)

    def put(
        self,
        status: str,
        message: QueueMessage,
        message_id: str | None = None,
        code: str | None = None,
    ) -> None:
        """Queue the outcome's event for the next flush()."""
        if self._client is None or not self._stream:
            return
        record = event(status, message, message_id, code, self._clock())
        data = (_encode(record) + "\n").encode()
        self._pending.append((message.tracking_id, status, data))

    def flush(self) -> None:
        """Put the queued events (PutRecordBatch, up to 500 a call); log each one lost."""
        pending, self._pending = self._pending, []
        for start in range(0, len(pending), MAX_BATCH):
            chunk = pending[start : start + MAX_BATCH]
            try:
                answer = self._client.put_record_batch(
                    DeliveryStreamName=self._stream,
                    Records=[{"Data": data} for _, _, data in chunk],
                )
            except (BotoCoreError, ClientError) as exc:
                failed = [(entry, type(exc).__name__) for entry in chunk]
            else:
                results = answer.get("RequestResponses") or []
                failed = [
                    (entry, result.get("ErrorCode") or "unknown")
                    for entry, result in zip(chunk, results, strict=False)
                    if result.get("ErrorCode") or not result.get("RecordId")
                ]
                failed += [(entry, "unanswered") for entry in chunk[len(results) :]]
            for (tracking_id, status, _), error in failed:
                self._log.error(
                    "sms_dispatch.event_failed", trackingId=tracking_id, outcome=status,
                    errorType=error,
                )  # fmt: skip
