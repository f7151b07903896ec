"""SMS events -> AJO feedback reports (README: Feedback mapping)."""

from __future__ import annotations

import pytest
from event_forwarder import feedback
from event_forwarder.target import NotForwardable
from harness.forwarder_testkit import sms_event

KEY = "clientReference"
# The README's table, row by row.
TABLE = {
    "TEXT_DELIVERED": "delivered",
    "TEXT_SUCCESSFUL": "sent",
    "TEXT_QUEUED": "pending",
    "TEXT_PENDING": "pending",
    "TEXT_BLOCKED": "failed",
    "TEXT_CARRIER_BLOCKED": "failed",
    "TEXT_CARRIER_UNREACHABLE": "failed",
    "TEXT_UNREACHABLE": "failed",
    "TEXT_INVALID": "failed",
    "TEXT_INVALID_MESSAGE": "failed",
    "TEXT_SPAM": "failed",
    "TEXT_TTL_EXPIRED": "failed",
    "TEXT_OPTED_OUT": "failed",
    "TEXT_PROTECT_BLOCKED": "failed",
    "TEXT_UNKNOWN": "failed",
    "QUEUED_MESSAGE_SENT": "pending",
    "QUEUED_MESSAGE_REJECTED": "failed",
    "QUEUED_MESSAGE_EXPIRED": "failed",
    "QUEUED_MESSAGE_FAILED": "failed",
    "QUEUED_MESSAGE_UNKNOWN": "pending",
}


def test_the_table_is_the_mapping():
    assert feedback.STATUSES == TABLE


@pytest.mark.parametrize(("event_type", "status"), TABLE.items())
def test_each_type_maps_to_its_status_with_both_codes(event_type, status):
    event = {**sms_event(1), "eventType": event_type, "messageStatus": "CARRIER_DETAIL"}
    report = feedback.body(event, KEY)
    assert report["statuses"] == [
        {"code": event_type, "status": status},
        {"code": "CARRIER_DETAIL", "status": status},
    ]
    assert report["eventType"] == event_type and report["messageId"] == "msg-000001"


def test_without_message_status_only_the_event_type_is_a_code():
    event = {**sms_event(1), "messageStatus": None}
    assert feedback.body(event, KEY)["statuses"] == [
        {"code": "TEXT_DELIVERED", "status": "delivered"}
    ]


@pytest.mark.parametrize("event_type", ["TEXT_INBOUND", "VOICE_COMPLETED", "MEDIA_DELIVERED"])
def test_events_that_are_not_sms_delivery_reports_are_skipped(event_type):
    assert feedback.body({**sms_event(1), "eventType": event_type}, KEY) is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"eventType": None}, "NO_EVENT_TYPE"),
        ({"eventType": 7}, "NO_EVENT_TYPE"),
        ({"eventType": "TEXT_NEW"}, "UNMAPPED_EVENT_TYPE:TEXT_NEW"),
        ({"messageId": None, "context": {}}, "NO_CLIENT_REFERENCE"),
        ({"messageId": "", "context": "not a dict"}, "NO_CLIENT_REFERENCE"),
    ],
)
def test_reports_that_cannot_be_mapped_are_refused_with_a_reason(change, reason):
    with pytest.raises(NotForwardable, match=reason):
        feedback.body({**sms_event(1), **change}, KEY)


def test_missing_timestamp_and_message_id_are_left_out():
    event = {"eventType": "QUEUED_MESSAGE_REJECTED", "trackingId": "t", "eventTimestamp": "x"}
    assert feedback.body(event, KEY) == {
        "clientReference": "t",
        "statuses": [{"code": "QUEUED_MESSAGE_REJECTED", "status": "failed"}],
        "eventType": "QUEUED_MESSAGE_REJECTED",
    }
