"""The SQS body as SNS delivers it (raw message delivery off): an SNS notification
envelope whose `Message` is AWS's inbound SMS JSON, and whose `Timestamp` is when
SNS took it (AWS's inbound JSON carries no time of its own)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime


class Unprocessable(ValueError):
    """The body can never become an inbound message: it goes to the DLQ, kept."""


@dataclass(frozen=True)
class InboundMessage:
    inbound_message_id: str
    origination_number: str  # the handset that texted (the profile's number)
    destination_number: str  # our two-way number it texted
    body: str
    aws_keyword: str | None  # messageKeyword: what AWS matched, kept for the record
    received_at: datetime  # the envelope's Timestamp, UTC

    @property
    def timestamp_iso(self) -> str:
        """UTC ISO-8601 with milliseconds, as `OriginTimestamp`."""
        return self.received_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    @property
    def timestamp_ms(self) -> int:
        return int(self.received_at.timestamp() * 1000)


def parse(body: str) -> InboundMessage:
    envelope = _object(body, "body")
    if envelope.get("Type") != "Notification" or not isinstance(envelope.get("Message"), str):
        raise Unprocessable("body is not an SNS notification")
    received_at = _timestamp(envelope.get("Timestamp"))
    message = _object(envelope["Message"], "SNS Message")
    fields = {}
    for name in ("originationNumber", "destinationNumber", "inboundMessageId"):
        value = message.get(name)
        if not isinstance(value, str) or not value.strip():
            raise Unprocessable(f"inbound message without {name}")
        fields[name] = value.strip()
    text = message.get("messageBody")
    keyword = message.get("messageKeyword")
    return InboundMessage(
        inbound_message_id=fields["inboundMessageId"],
        origination_number=fields["originationNumber"],
        destination_number=fields["destinationNumber"],
        body=text if isinstance(text, str) else "",
        aws_keyword=keyword if isinstance(keyword, str) else None,
        received_at=received_at,
    )


def _object(text: str, what: str) -> dict:
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        raise Unprocessable(f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise Unprocessable(f"{what} is not a JSON object")
    return value


def _timestamp(value: object) -> datetime:
    if not isinstance(value, str):
        raise Unprocessable("SNS notification without Timestamp")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Unprocessable("SNS Timestamp is not ISO-8601") from None
    if parsed.tzinfo is None:  # SNS always writes Z; read a bare one as UTC
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
