"""Builders shared by the forwarder tests: SMS events as End User Messaging
writes them, Firehose-style objects, and Lambda's SQS event and context."""

from __future__ import annotations

import gzip
import json

REGION = "us-east-1"
BUCKET = "ajo-sms-events-test"
QUEUE = "ajo-sms-aep-forwarder"
EVENT_TYPES = ["TEXT_SUCCESSFUL", "TEXT_DELIVERED", "TEXT_BLOCKED", "TEXT_PENDING"]
SCHEMA_ID = "https://ns.adobe.com/acme/schemas/0123456789abcdef"
DATASET_ID = "0123456789abcdef01234567"
IMS_ORG = "ABCDEF0123456789@AdobeOrg"


def sms_event(index: int, journey: str = "journey-1") -> dict:
    """One SMS event in the shape of the End User Messaging event format 1.0."""
    return {
        "eventType": EVENT_TYPES[index % len(EVENT_TYPES)],
        "eventVersion": "1.0",
        "eventTimestamp": 1795700000000 + index,
        "isFinal": index % 4 != 3,
        "originationPhoneNumber": "+12065550152",
        "destinationPhoneNumber": f"+1425555{index % 10000:04d}",
        "isInternationalSend": False,
        "isoCountryCode": "US",
        "mcc": "310",
        "mnc": "800",
        "messageId": f"msg-{index:06d}",
        "messageRequestTimestamp": 1795699999000 + index,
        "messageEncoding": "GSM",
        "messageType": "TRANSACTIONAL",
        "messageStatus": "SUCCESSFUL",
        "messageStatusDescription": "Message has been accepted by phone carrier",
        "context": {"journeyId": journey, "profileId": f"p-{index}"},
        "totalMessageParts": 1,
        "totalMessagePrice": 0.00581,
        "totalCarrierFee": 0.0,
    }


def gzip_lines(events: list, raw_lines: list[bytes] | None = None) -> bytes:
    lines = [json.dumps(e).encode() for e in events] + list(raw_lines or [])
    return gzip.compress(b"\n".join(lines) + b"\n", mtime=0)


def events_key(name: str = "part-1") -> str:
    return f"events/year=2026/month=11/day=26/ajo-sms-sms-events-1-2026-11-26-{name}.gz"


def sqs_event(messages: list[dict], queue_arn: str) -> dict:
    """Lambda's SQS event for messages as ReceiveMessage returned them."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


class LambdaContext:
    def __init__(self, request_id: str = "req-1", remaining_ms: int = 120_000):
        self.aws_request_id = request_id
        self._remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self._remaining_ms


def created(key) -> dict:
    """One ObjectCreated record of an S3 notification, `key` as given (any JSON)."""
    return {
        "eventName": "ObjectCreated:Put",
        "s3": {"bucket": {"name": BUCKET}, "object": {"key": key}},
    }


# Notification bodies of the right outline with a wrong part (issue 12).
MALFORMED_NOTIFICATIONS = {
    "record-string": '{"Records":["x"]}',
    "record-null": '{"Records":[null]}',
    "key-number": json.dumps({"Records": [created(123)]}),
    "key-null": json.dumps({"Records": [created(None)]}),
    "one-string-among-20": json.dumps(
        {"Records": [created(f"events/{i}.gz") for i in range(19)] + ["x"]}
    ),
}
