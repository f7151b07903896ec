"""Each inbound message as one event of the events stream (Firehose -> S3/Glue, and the
event forwarder), in the shape of the stream's other events: camelCase fields,
eventVersion, eventTimestamp in ms. Like the carrier's delivery events there,
destinationPhoneNumber is the profile's number (here the sender), so the export and
AEP identify the same person on both directions; originationPhoneNumber is ours."""

from __future__ import annotations

import json
from typing import Any

from ajo_runtime import aws
from botocore.exceptions import BotoCoreError, ClientError

from .errors import StepFailed
from .inbound import InboundMessage
from .keywords import Category

EVENT_TYPE = "TEXT_INBOUND"
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def event(message: InboundMessage, keyword: str, category: Category) -> dict[str, Any]:
    return {
        "eventType": EVENT_TYPE,
        "eventVersion": "1.0",
        "eventTimestamp": message.timestamp_ms,
        "originationPhoneNumber": message.destination_number,
        "destinationPhoneNumber": message.origination_number,
        "messageId": message.inbound_message_id,
        "messageKeyword": keyword,
        "keywordCategory": str(category),
        "messageBody": message.body,
    }


class EventStream:
    def __init__(self, client: Any, stream: str):
        self._client = client
        self._stream = stream

    def put(self, record: dict[str, Any]) -> None:
        """One JSON line (newline-terminated, as Firehose concatenates records)."""
        try:
            self._client.put_record(
                DeliveryStreamName=self._stream,
                Record={"Data": (_encode(record) + "\n").encode()},
            )
        except (BotoCoreError, ClientError) as error:
            reason = aws.reason(error)
            permanent = reason in ("ResourceNotFoundException", "AccessDeniedException")
            raise StepFailed("export", reason, permanent) from None
