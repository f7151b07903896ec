"""Map an SMS event to the body of AJO's SMS feedback webhook (one delivery
report per call): `{"clientReference", "statuses": [{"code", "status"}],
"messageId", "eventType", "timestamp"}` (README: Feedback mapping).

clientReference is what AJO knows the send by: the request's context
[CLIENT_REFERENCE_KEY] when the caller set one, else context.trackingId (a
queued send: what AJO got in the 202; the dispatcher's own events carry it
at the top), else the messageId (a direct send: what AJO got in the 200)."""

from __future__ import annotations

from .events import iso_timestamp
from .target import NotForwardable

SENT, DELIVERED, FAILED, PENDING = "sent", "delivered", "failed", "pending"

# eventType -> AJO status. End User Messaging's SMS events (configuration set
# event destination), then the dispatcher's outcomes of queued sends
# (functions/sms_send/ajo_sms_send/delivery.py, its outcome events).
STATUSES = {
    "TEXT_DELIVERED": DELIVERED,
    "TEXT_SUCCESSFUL": SENT,  # accepted by the carrier
    "TEXT_QUEUED": PENDING,
    "TEXT_PENDING": PENDING,
    "TEXT_BLOCKED": FAILED,
    "TEXT_CARRIER_BLOCKED": FAILED,
    "TEXT_CARRIER_UNREACHABLE": FAILED,
    "TEXT_UNREACHABLE": FAILED,
    "TEXT_INVALID": FAILED,
    "TEXT_INVALID_MESSAGE": FAILED,
    "TEXT_SPAM": FAILED,
    "TEXT_TTL_EXPIRED": FAILED,
    "TEXT_OPTED_OUT": FAILED,
    "TEXT_PROTECT_BLOCKED": FAILED,
    "TEXT_UNKNOWN": FAILED,  # AWS: not deliverable, for a reason no other type covers
    # Handed to End User Messaging: the carrier's events follow.
    "QUEUED_MESSAGE_SENT": PENDING,
    "QUEUED_MESSAGE_REJECTED": FAILED,
    "QUEUED_MESSAGE_EXPIRED": FAILED,
    "QUEUED_MESSAGE_FAILED": FAILED,
    # Maybe sent: if it was, the carrier's events follow with the final status.
    "QUEUED_MESSAGE_UNKNOWN": PENDING,
}
# Types in the stream that are not delivery reports of an SMS AJO sent.
NOT_FEEDBACK = frozenset({"TEXT_INBOUND"})
# Families of other channels a configuration set may export (voice, MMS, RCS).
OTHER_CHANNELS = ("VOICE_", "MEDIA_", "RCS_")


def body(event: dict, client_reference_key: str) -> dict | None:
    """The feedback body of `event`; None when it is not a delivery report.
    Raises NotForwardable for a delivery report that cannot be mapped."""
    event_type = event.get("eventType")
    if not isinstance(event_type, str) or not event_type:
        raise NotForwardable("NO_EVENT_TYPE")
    if event_type in NOT_FEEDBACK or event_type.startswith(OTHER_CHANNELS):
        return None
    status = STATUSES.get(event_type)
    if status is None:
        raise NotForwardable(f"UNMAPPED_EVENT_TYPE:{event_type[:100]}")
    reference = client_reference(event, client_reference_key)
    if reference is None:
        raise NotForwardable("NO_CLIENT_REFERENCE")
    codes = [event_type]
    # The carrier's detail (messageStatus), or the dispatcher's error code.
    detail = _text(event.get("messageStatus")) or _text(event.get("code"))
    if detail and detail != event_type:
        codes.append(detail)
    report = {
        "clientReference": reference,
        "statuses": [{"code": code, "status": status} for code in codes],
        "messageId": _text(event.get("messageId")),
        "eventType": event_type,
        "timestamp": iso_timestamp(event),
    }
    return {k: v for k, v in report.items() if v is not None}


def client_reference(event: dict, key: str) -> str | None:
    context = event.get("context")
    context = context if isinstance(context, dict) else {}
    # The dispatcher's own events (QUEUED_MESSAGE_*) carry trackingId at the top.
    candidates = (context.get(key), context.get("trackingId"), event.get("trackingId"))
    for value in (*candidates, event.get("messageId")):
        if text := _text(value):
            return text
    return None


def _text(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
