"""Queued delivery's message (docs/DELIVERY.md "Queue message body"), and the SQS calls.

The accept path builds and enqueues it; the dispatcher parses it and re-enqueues copies.
The same code version writes and reads it (one zip, two entry points); `v` still guards
against a message left in a queue across an upgrade that changes the layout. An SMS is
written `v` 1 as before channels existed (its optional `channel` absent or "SMS"); an MMS
a voice or a WhatsApp message `v` 2, so a dispatcher older than channels refuses it
(malformed: the DLQ, from which a redrive sends it once) instead of sending its text, or its
SSML, as an SMS; one older than WHATSAPP refuses that channel the same way.
"""

from __future__ import annotations

import json
import os
from typing import Any, NamedTuple

from ajo_runtime.aws import service_error_of
from botocore.exceptions import BotoCoreError, ClientError

from .channels import (
    CHANNELS,
    MAX_VOICE_CHARS,
    MMS,
    SMS,
    TEXT,
    VOICE,
    VOICE_IDS,
    WHATSAPP,
    Parts,
    Template,
)
from .errors import ApiError, throttled
from .idempotency import Claim
from .request import SmsRequest
from .upstream import service_error, transport_error
from .validation import MESSAGE_TYPES, TRACKING_CONTEXT_KEY

VERSION = 1  # SMS
CHANNELS_VERSION = 2  # MMS, VOICE, WHATSAPP
WHAT = "the delivery queue"
MAX_DELAY_SECONDS = 900  # SQS DelaySeconds ceiling
_TRACKING_HEX = 32
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def tracking_id(claim: Claim | None) -> str:
    """32 hex characters: the claim's (derived from the key and the request's fingerprint,
    idempotency.tracking_id) or, without an idempotency key, random."""
    if claim is not None and claim.tracking_id:
        return claim.tracking_id
    return os.urandom(_TRACKING_HEX // 2).hex()


class QueueMessage(NamedTuple):
    tracking_id: str
    destination: str
    message: str  # "" for an MMS without text (written null)
    message_type: str
    origination_identity: str | None
    configuration_set_name: str | None
    context: dict[str, str] | None
    segments: int  # parts paced: an SMS's segments, 1 for an MMS, a call or a WhatsApp
    encoding: str | None  # SMS only
    accepted_at: float
    deadline: float
    attempt: int
    channel: str = SMS
    media_urls: tuple[str, ...] | None = None
    voice_id: str | None = None
    message_body_text_type: str | None = None
    template: Template | None = None

    def body(self, **changes: Any) -> str:
        m = self._replace(**changes)
        data: dict[str, Any] = {
            "v": VERSION if m.channel == SMS else CHANNELS_VERSION,
            "trackingId": m.tracking_id,
            "destination": m.destination,
            "message": m.message or None,
            "messageType": m.message_type,
            "originationIdentity": m.origination_identity,
            "configurationSetName": m.configuration_set_name,
            "context": m.context,
            "segments": m.segments,
            "encoding": m.encoding,
            "acceptedAt": m.accepted_at,
            "deadline": m.deadline,
            "attempt": m.attempt,
            "channel": m.channel,
        }
        if m.channel == MMS and m.media_urls:
            data["mediaUrls"] = list(m.media_urls)
        if m.channel == VOICE:
            data["voiceId"] = m.voice_id
            data["messageBodyTextType"] = m.message_body_text_type
        if m.template is not None:
            data["template"] = m.template._asdict()
        return _encode(data)

    def request(self, time_to_live: int, defaults: Any) -> SmsRequest:
        """The send the dispatcher makes of it (from_request's inverse), the trackingId in
        the SMS Context. `defaults`: the deployment's SMS settings."""
        context = dict(self.context or {})
        context[TRACKING_CONTEXT_KEY] = self.tracking_id
        # The accept path applied the deployment's defaults; what differs from them was the
        # caller's choice, so a resource of it not found is the caller's (REJECTED), and a
        # default not found is the operator's (retried, then the DLQ, for a redrive).
        identity, config_set = self.origination_identity, self.configuration_set_name
        default_identity = defaults.default_origination_identity
        if self.channel == WHATSAPP:
            default_identity = next(iter(defaults.whatsapp_phone_number_ids), None)
        return SmsRequest(
            destination=self.destination,
            message=self.message,
            origination_identity=identity,
            message_type=self.message_type,
            configuration_set_name=config_set,
            context=context,
            idempotency_key=None,
            dry_run=False,
            delivery="queued",
            time_to_live=time_to_live,
            channel=self.channel,
            media_urls=self.media_urls,
            voice_id=(self.voice_id or defaults.default_voice_id)
            if self.channel == VOICE
            else None,
            message_body_text_type=self.message_body_text_type,
            template=self.template,
            caller_origination=identity if identity != default_identity else None,
            caller_configuration_set=(
                config_set if config_set != defaults.configuration_set_name else None
            ),
        )


def from_request(
    request: SmsRequest, tracking: str, parts: Parts, now: float, validity: int
) -> QueueMessage:
    return QueueMessage(
        tracking_id=tracking,
        destination=request.destination,
        message=request.message,
        message_type=request.message_type,
        origination_identity=request.origination_identity,
        configuration_set_name=request.configuration_set_name,
        context=request.context,
        segments=parts.parts,
        encoding=parts.encoding,
        accepted_at=now,
        deadline=now + validity,
        attempt=1,
        channel=request.channel,
        media_urls=request.media_urls,
        voice_id=request.voice_id,
        message_body_text_type=request.message_body_text_type,
        template=request.template,
    )


class MalformedMessage(ValueError):
    """A body the dispatcher cannot act on: failed back to SQS, so it ends in the DLQ."""


def parse(text: Any) -> QueueMessage:
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        raise MalformedMessage("not JSON") from None
    if not isinstance(data, dict) or data.get("v") not in (VERSION, CHANNELS_VERSION):
        raise MalformedMessage("not a version 1 or 2 delivery message")
    channel = data.get("channel") or SMS
    if channel not in CHANNELS or (channel != SMS) != (data["v"] == CHANNELS_VERSION):
        raise MalformedMessage("bad channel for the version")
    try:
        message = QueueMessage(
            tracking_id=_text(data, "trackingId"),
            destination=_text(data, "destination"),
            message=(_text if channel in (SMS, VOICE) else _optional_text)(data, "message") or "",
            message_type=_text(data, "messageType"),
            origination_identity=_optional_text(data, "originationIdentity"),
            configuration_set_name=_optional_text(data, "configurationSetName"),
            context=_context(data.get("context")),
            segments=_int(data, "segments"),
            encoding=(_text if channel == SMS else _optional_text)(data, "encoding"),
            accepted_at=_number(data, "acceptedAt"),
            deadline=_number(data, "deadline"),
            attempt=_int(data, "attempt"),
            channel=channel,
            media_urls=_media_urls(data.get("mediaUrls")) if channel == MMS else None,
            voice_id=_choice(data, "voiceId", VOICE_IDS) if channel == VOICE else None,
            message_body_text_type=(
                _choice(data, "messageBodyTextType", MAX_VOICE_CHARS) or TEXT
                if channel == VOICE
                else None
            ),
            template=_template(data.get("template")) if channel == WHATSAPP else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedMessage(f"bad field {exc}") from None
    if len(message.tracking_id) != _TRACKING_HEX or message.message_type not in MESSAGE_TYPES:
        raise MalformedMessage("bad trackingId or messageType")
    if channel == MMS and not (message.message or message.media_urls):
        raise MalformedMessage("an MMS without message and mediaUrls")
    if channel == WHATSAPP and bool(message.message) == (message.template is not None):
        raise MalformedMessage("a WhatsApp message needs message or template, not both")
    return message


def _text(data: dict, name: str) -> str:
    value = data[name]
    if not isinstance(value, str) or not value:
        raise ValueError(name)
    return value


def _optional_text(data: dict, name: str) -> str | None:
    return None if data.get(name) is None else _text(data, name)


def _int(data: dict, name: str) -> int:
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(name)
    return value


def _number(data: dict, name: str) -> float:
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(name)
    return float(value)


def _choice(data: dict, name: str, allowed: Any) -> str | None:
    value = _optional_text(data, name)
    if value is not None and value not in allowed:
        raise ValueError(name)
    return value


def _media_urls(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 1 or not isinstance(value[0], str):
        raise ValueError("mediaUrls")
    return (value[0],)


def _template(value: Any) -> Template | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("template")
    parameters = value.get("parameters")
    if not isinstance(parameters, list) or not all(isinstance(p, str) for p in parameters):
        raise ValueError("template")
    return Template(_text(value, "name"), _text(value, "language"), tuple(parameters))


def _context(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError("context")
    return value


class DeliveryQueue:
    """SendMessage to a delivery queue or the DLQ; failures become retryable 5xx."""

    def __init__(self, client: Any):
        self._send_message = client.send_message

    def send(self, queue_url: str, body: str, delay_seconds: int = 0) -> None:
        params: dict[str, Any] = {"QueueUrl": queue_url, "MessageBody": body}
        if delay_seconds > 0:
            params["DelaySeconds"] = min(int(delay_seconds), MAX_DELAY_SECONDS)
        try:
            self._send_message(**params)
        except ClientError as exc:
            raise queue_error(exc.response) from None
        except BotoCoreError as exc:
            raise transport_error(exc, WHAT) from None


def queue_error(response: dict[str, Any]) -> ApiError:
    code, message, status = service_error_of(response)
    if code in (
        "ThrottlingException",
        "RequestThrottled",
        "AWS.SimpleQueueService.RequestThrottled",
    ):
        return throttled(f"{WHAT} is throttling; retry later")
    return service_error(code, message, status, WHAT)
