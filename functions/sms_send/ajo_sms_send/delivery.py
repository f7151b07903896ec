"""Queued delivery below the dispatcher (docs/DELIVERY.md): the queue message and its SQS
calls, the token bucket that paces the sends, and the outcome events.

Queued delivery's message (docs/DELIVERY.md "Queue message body"), and the SQS calls.

The accept path builds and enqueues it; the dispatcher parses it and re-enqueues copies.
The same code version writes and reads it (one zip, two entry points); `v` still guards
against a message left in a queue across an upgrade that changes the layout. An SMS is
written `v` 1 as before channels existed (its optional `channel` absent or "SMS"); an MMS
a voice or a WhatsApp message `v` 2, so a dispatcher older than channels refuses it
(malformed: the DLQ, from which a redrive sends it once) instead of sending its text, or its
SSML, as an SMS; one older than WHATSAPP refuses that channel the same way.

A token bucket over message parts, in DynamoDB, shared by every dispatcher instance.

`pace#<bucket>` holds `tokens`, `updated` (epoch seconds) and `version`. Refill is MPS
parts per second up to a capacity of MPS - 1 (at least 1): the part kept back absorbs the
jitter between a take here and the SMS API's own count (a send that travels faster than the
one before it), which would otherwise cost a ThrottlingException now and then. A dispatcher takes a
message's parts with a PutItem conditional on the version it computed from, so of two
instances racing for the same tokens one wins and the other retries with the state the
failed condition returns (ReturnValuesOnConditionCheckFailure): all instances together
never take more than MPS parts per second, plus the one-second burst.

Transactional takes reserve: the bucket goes into debt (negative tokens) and the taker
sleeps until its parts are due, so N instances wait in line with one write each. PROMOTIONAL
takes only while the bucket keeps `reserve` parts after the take (never into debt), so a
transactional backlog always gets the tokens first.
The state of the last write is cached per instance: the common case is one write per take.
A take may reserve for the messages of its batch behind it too (`ahead`): one write per
batch, the parts kept as this instance's credit until `settle()` gives back what the
batch did not use (the credit never outlives the invocation, so it cannot turn into a burst).

Dispatch outcomes as delivery events: one JSON record per outcome to the events stream.

They land in the Firehose -> S3 stream of the SMS events (EVENTS_STREAM_NAME), so Athena
and the AEP forwarder see them beside the carrier events, joined on `trackingId` (also in
the SMS Context) and the request's `context`. Numbers are masked; the text never leaves.
A batch's outcomes go in one PutRecordBatch when the batch is done (one call, not one per
message, on the dispatcher's path between sends). The tracking record is the source of
truth: a failed put is logged per record, not retried.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from ajo_runtime.aws import service_error_of
from ajo_runtime.masking import mask
from botocore.exceptions import BotoCoreError, ClientError

from .contract import (
    CHANNELS,
    MAX_VOICE_CHARS,
    MMS,
    SMS,
    TEXT,
    VOICE,
    VOICE_IDS,
    WHATSAPP,
    ApiError,
    Parts,
    Template,
    throttled,
)
from .request import SmsRequest
from .senders import service_error, transport_error
from .stores import Claim, unless_condition_failed
from .telemetry import JsonLog
from .validation import MESSAGE_TYPES, TRACKING_CONTEXT_KEY

# The queue message -------------------------------------------------------------------------------

VERSION = 1  # SMS
CHANNELS_VERSION = 2  # MMS, VOICE, WHATSAPP
QUEUE_WHAT = "the delivery queue"
MAX_DELAY_SECONDS = 900  # SQS DelaySeconds ceiling
_TRACKING_HEX = 32
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def tracking_id(claim: Claim | None) -> str:
    """32 hex characters: the claim's (derived from the key and the request's fingerprint,
    stores.tracking_id) or, without an idempotency key, random."""
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
            raise transport_error(exc, QUEUE_WHAT) from None


def queue_error(response: dict[str, Any]) -> ApiError:
    code, message, status = service_error_of(response)
    if code in (
        "ThrottlingException",
        "RequestThrottled",
        "AWS.SimpleQueueService.RequestThrottled",
    ):
        return throttled(f"{QUEUE_WHAT} is throttling; retry later")
    return service_error(code, message, status, QUEUE_WHAT)


# Pacing ------------------------------------------------------------------------------------------

BUCKET_WHAT = "the delivery table"
JITTER_MARGIN = 1.0  # parts of capacity kept back (see above)
EPSILON = 1e-6  # parts: float refills land a hair short of a whole part
MIN_WAIT = 0.001  # seconds: a wait always moves the clock on


class _State(NamedTuple):
    tokens: float
    updated: float
    version: int


class _Credit(NamedTuple):
    """Parts one write took for later messages: part j (cumulative) is due at
    `at` + max(0, j - `level`) / MPS, as the shared bucket counted them."""

    promotional: bool
    at: float
    level: float
    used: float
    total: float


class TokenBucket:
    def __init__(
        self,
        client: Any,
        table: str,
        mps: float,
        reserve: float,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._client = client
        self._table = table
        self._mps = mps
        self._capacity = max(mps - JITTER_MARGIN, min(mps, 1.0))
        self._reserve = reserve
        self._clock = clock
        self._sleep = sleep
        self._known: dict[str, _State | None] = {}  # bucket -> last state seen (None: absent)
        self._credit: dict[str, _Credit] = {}  # bucket -> parts taken ahead, not used yet
        self.waited = 0.0  # seconds slept waiting for tokens (for the logs)
        self.due = 0.0  # when the last take's parts were due (the bucket's own clock)

    def take(
        self,
        bucket: str,
        parts: int,
        promotional: bool,
        give_up_at: float,
        ahead: Sequence[int] = (),
    ) -> bool:
        """Take `parts` tokens, waiting while short; False if that would pass give_up_at.

        Transactional reserves: it takes at once, into debt if need be, and sleeps until
        its parts are due, so instances queue up on the bucket with one write each instead
        of waking together and racing for every part. Promotional never reserves: it takes
        only what leaves the reserve, and otherwise waits and looks again.
        `ahead`: the parts of the batch's next messages of this bucket and type; the write
        takes for as many of them as it can (transactional: due by give_up_at; promotional:
        above the reserve), and their takes use that credit without a write.
        Raises ApiError when the table fails."""
        if self._from_credit(bucket, parts, promotional, give_up_at):
            return True
        self.settle(bucket)
        while True:
            now = self._clock()
            state = self._known.get(bucket)
            after = self._refilled(state, now) - parts
            wait = max(-after, 0.0) / self._mps
            if promotional:
                floor = min(self._reserve, self._capacity - parts)  # longer: a full bucket
                if after < floor - EPSILON:
                    wait = max((floor - after) / self._mps, MIN_WAIT)
                    if now + wait > give_up_at:
                        return False
                    self._sleep(wait)
                    self.waited += wait
                    continue
                wait = 0.0
            if now + wait > give_up_at:
                return False
            level = after + parts
            total = parts + self._ahead(level, parts, ahead, promotional, now, give_up_at)
            updated = max(now, state.updated) if state else now
            new = _State(level - total, updated, (state.version if state else 0) + 1)
            if not self._write(bucket, state, new):
                continue  # lost a race: the failed condition gave us the current state
            if total > parts:
                self._credit[bucket] = _Credit(promotional, now, level, parts, total)
            self._wait_until(now + wait)
            return True

    def settle(self, bucket: str | None = None) -> None:
        """Give back the parts taken ahead and not used (the batch ended or stopped):
        the bucket is left as if they had never been taken. Best effort: a failure
        only leaves other instances waiting a little longer."""
        for name in [bucket] if bucket is not None else list(self._credit):
            credit = self._credit.pop(name, None)
            if credit is None or credit.total - credit.used < EPSILON:
                continue
            for _ in range(3):
                state = self._known.get(name)
                if state is None:
                    break
                now = self._clock()
                tokens = min(
                    self._capacity, self._refilled(state, now) + credit.total - credit.used
                )
                new = _State(tokens, max(now, state.updated), state.version + 1)
                try:
                    if self._write(name, state, new):
                        break
                except ApiError:
                    break

    def _ahead(
        self,
        level: float,
        parts: int,
        ahead: Sequence[int],
        promotional: bool,
        now: float,
        give_up_at: float,
    ) -> float:
        """How many parts of `ahead` (whole messages, in order) one take can add."""
        taken = parts
        for more in ahead:
            if promotional:
                if level - (taken + more) < self._reserve - EPSILON:
                    break
            elif now + max(taken + more - level, 0.0) / self._mps > give_up_at:
                break
            taken += more
        return taken - parts

    def _from_credit(self, bucket: str, parts: int, promotional: bool, give_up_at: float) -> bool:
        credit = self._credit.get(bucket)
        if credit is None or credit.promotional != promotional:
            return False
        if credit.used + parts > credit.total + EPSILON:
            return False
        due = credit.at + max(credit.used + parts - credit.level, 0.0) / self._mps
        if due > give_up_at:
            return False
        self._credit[bucket] = credit._replace(used=credit.used + parts)
        self._wait_until(due)
        return True

    def _wait_until(self, due: float) -> None:
        self.due = due
        wait = due - self._clock()
        if wait > EPSILON / self._mps:
            self._sleep(wait)
            self.waited += wait

    def drain(self, bucket: str) -> None:
        """Empty the bucket (the SMS API throttled: every instance backs off). Debt stays:
        the parts other instances reserved are still theirs."""
        self._credit.pop(bucket, None)  # not given back: the API says we were ahead
        for _ in range(3):
            state = self._known.get(bucket)
            now = self._clock()
            updated = max(now, state.updated) if state else now
            tokens = min(self._refilled(state, now), 0.0)
            if self._write(
                bucket, state, _State(tokens, updated, (state.version if state else 0) + 1)
            ):
                return

    def _refilled(self, state: _State | None, now: float) -> float:
        if state is None:
            return self._capacity  # never written: a full bucket
        elapsed = max(now - state.updated, 0.0)  # instances' clocks may disagree slightly
        return min(self._capacity, state.tokens + elapsed * self._mps)

    def _write(self, bucket: str, old: _State | None, new: _State) -> bool:
        params: dict[str, Any] = {
            "TableName": self._table,
            "Item": {
                "id": {"S": "pace#" + bucket},
                "tokens": {"N": f"{new.tokens:.6f}"},
                "updated": {"N": f"{new.updated:.6f}"},
                "version": {"N": str(new.version)},
            },
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if old is None:
            params["ConditionExpression"] = "attribute_not_exists(id)"
        else:
            params["ConditionExpression"] = "#version = :version"
            params["ExpressionAttributeNames"] = {"#version": "version"}
            params["ExpressionAttributeValues"] = {":version": {"N": str(old.version)}}
        try:
            self._client.put_item(**params)
        except ClientError as exc:
            unless_condition_failed(exc)
            self._known[bucket] = _parse(exc.response.get("Item") or {})
            return False
        except BotoCoreError as exc:
            raise transport_error(exc, BUCKET_WHAT) from None
        self._known[bucket] = new
        return True


def _parse(item: dict[str, Any]) -> _State | None:
    if not item:
        return None
    return _State(
        float(item["tokens"]["N"]), float(item["updated"]["N"]), int(item["version"]["N"])
    )


# Outcome events ----------------------------------------------------------------------------------

EVENT_TYPES = {
    "SENT": "QUEUED_MESSAGE_SENT",
    "REJECTED": "QUEUED_MESSAGE_REJECTED",
    "EXPIRED": "QUEUED_MESSAGE_EXPIRED",
    "FAILED": "QUEUED_MESSAGE_FAILED",
    "UNKNOWN": "QUEUED_MESSAGE_UNKNOWN",
}
MAX_BATCH = 500  # PutRecordBatch's limit (a batch of the dispatcher holds at most 10)


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
