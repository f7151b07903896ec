"""The dispatcher: SQS batches of queued messages -> SMS at the pace of the identities.

Per record (docs/DELIVERY.md): parse (malformed -> failed back to SQS, so it ends in the
DLQ; never the whole batch) -> claim the tracking record (a final status: drop the copy; a
live lease: come back later) -> deadline (past it: EXPIRED, not sent) -> take the parts from
the shared token bucket (an SMS's segments; an MMS or a voice message is one part) -> the
channel's send (SendTextMessage, SendMediaMessage, SendVoiceMessage) with TimeToLive = seconds
left and the trackingId in Context -> record the outcome and put its event.

Nothing but a crash or a malformed body fails a record back to SQS (counting a receive
towards maxReceiveCount): a throttled, deferred or transiently failed message is re-enqueued
as a copy (attempt + 1 only for transient failures) and the original reported done, so a
throttled message never reaches the DLQ for having been throttled. When the Lambda's time
runs short, or after a ThrottlingException, the rest of the batch is re-enqueued untouched.
"""

from __future__ import annotations

import contextlib
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from ajo_runtime import backoff
from ajo_runtime.masking import mask
from ajo_runtime.metrics import Emf
from ajo_runtime.sqs_batch import remaining_seconds

from .config import AT_LEAST_ONCE, create_clients, delivery_client, dispatch_settings_from_env
from .contract import (
    CHANNEL_NOT_ENABLED,
    QUOTA_EXCEEDED,
    SEND_OUTCOME_UNKNOWN,
    THROTTLED,
    WHATSAPP,
    ApiError,
)
from .delivery import (
    DeliveryQueue,
    MalformedMessage,
    OutcomeStream,
    QueueMessage,
    TokenBucket,
    parse,
)
from .senders import QUOTA_RETRY_AFTER, Sender, clean
from .stores import (
    EXPIRED,
    FAILED,
    PENDING,
    REJECTED,
    SENT,
    UNKNOWN,
    Busy,
    Done,
    Lease,
    TrackingStore,
)
from .telemetry import JsonLog, dispatch_emf, dispatch_values
from .validation import channel_enabled

MIN_TIME_TO_LIVE = 5  # SendTextMessage TimeToLive minimum (seconds)
RECORD_RETENTION = 86400  # tracking records outlive the message's deadline by a day
SDK_MARGIN = 2.0  # seconds kept per record for the DynamoDB, Firehose and SQS calls
THROTTLE_DELAY = 1.0  # seconds (+ up to 2 s of jitter) before a throttled copy is seen
BACKOFF_BASE = 5.0  # transient failures: 5, 10, 20, 40 s ... (jittered, at most 900)
NO_CONTEXT_MS = 900_000  # no Lambda context (a local run): a Lambda's longest invocation
BUSY_RECHECK = 5.0  # a copy meeting a live lease looks again after at most this (+1 s)
STOP = frozenset({"throttled", "deferred"})  # outcomes after which the batch is put back


def classify(err: ApiError) -> str:
    """throttled | rejected | unknown | transient, for an SMS API failure at dispatch."""
    if err.code == THROTTLED:
        # ServiceQuotaExceededException (spend limit, daily caps) does not lift in seconds.
        return "rejected" if err.retry_after == QUOTA_RETRY_AFTER else "throttled"
    if err.outcome_unknown:
        return "unknown"  # the answer was lost: the SMS API may have taken it
    if err.status < 500:
        return "rejected"  # opted out, invalid number or identity, refused message
    return "transient"


class Dispatcher:
    def __init__(
        self,
        settings: Any,  # DispatchSettings
        sender: Sender,
        tracking: TrackingStore,
        bucket: TokenBucket,
        queue: DeliveryQueue,
        outcomes: OutcomeStream,
        log: JsonLog,
        clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
        metrics: Emf | None = None,
        whatsapp_bucket: TokenBucket | None = None,
    ):
        self._metrics = metrics or dispatch_emf({})
        self._settings = settings
        self._sender = sender
        self._tracking = tracking
        self._bucket = bucket
        # WhatsApp numbers have their own throughput (WHATSAPP_MPS), not the SMS MPS.
        self._whatsapp_bucket = whatsapp_bucket or bucket
        self._all_buckets = {bucket, self._whatsapp_bucket}
        self._queue = queue
        self._outcomes = outcomes
        self._log = log
        self._clock = clock
        self._jitter = jitter
        sms = settings.sms
        # A send starts only if it can finish, at its worst, before the Lambda's deadline.
        self._reserve = sms.connect_timeout + sms.read_timeout + SDK_MARGIN
        self._resend_unknown = sms.unknown_outcome == AT_LEAST_ONCE

    def handle(self, event: Any, context: Any) -> dict[str, Any]:
        records = event.get("Records") if isinstance(event, Mapping) else None
        failures: list[dict[str, str]] = []
        counts: Counter[str] = Counter()
        stop = False
        waited = self._waited()
        records = records if isinstance(records, list) else []
        messages = [_read(record) for record in records]
        for i, record in enumerate(records):
            fields: dict[str, Any] = {}
            try:
                outcome = (
                    self._defer(messages[i], fields)
                    if stop
                    else self._dispatch(messages[i], _ahead(messages, i), context, fields)
                )
            except Exception as exc:  # an outage or a bug: this record back to SQS
                fields.update(errorType=type(exc).__name__, error=clean(exc))
                outcome = "error"
            if outcome in ("error", "malformed"):
                ident = record.get("messageId") if isinstance(record, Mapping) else None
                failures.append({"itemIdentifier": str(ident)})
            stop = stop or outcome in STOP
            counts[outcome] += 1
            level = "ERROR" if outcome == "error" else "INFO"
            metrics = self._metrics.fragment(*dispatch_values(outcome, fields))
            self._log.log(level, "sms_dispatch", {"outcome": outcome, **fields}, metrics)
        for bucket in self._all_buckets:
            with contextlib.suppress(Exception):  # parts taken for records not sent go back
                bucket.settle()
        self._outcomes.flush()
        self._log.info(
            "sms_dispatch.batch",
            requestId=getattr(context, "aws_request_id", None),
            records=sum(counts.values()),
            failures=len(failures),
            waitedSeconds=round(self._waited() - waited, 3),
            **counts,
        )
        return {"batchItemFailures": failures}

    def _pace(self, message: QueueMessage) -> TokenBucket:
        return self._whatsapp_bucket if message.channel == WHATSAPP else self._bucket

    def _waited(self) -> float:
        return sum(bucket.waited for bucket in self._all_buckets)

    # --- one record ---------------------------------------------------------------------

    def _dispatch(
        self, message: QueueMessage | str, ahead: list[int], context: Any, fields: dict[str, Any]
    ) -> str:
        if not _describe(message, fields):
            return "malformed"
        remaining = _remaining(context)
        if remaining < self._reserve:
            self._requeue(message, 0)
            return "deferred"
        claim = self._tracking.claim(
            message.tracking_id, remaining + 1, int(message.deadline) + RECORD_RETENTION
        )
        if isinstance(claim, Done):
            fields.update(status=claim.status, messageId=claim.message_id or None)
            return "duplicate"
        if isinstance(claim, Busy):
            # The holder usually settles in milliseconds; its lease covers its worst case.
            self._requeue(message, min(claim.seconds, BUSY_RECHECK) + 1)
            return "busy"
        if claim.unknown:
            # An earlier invocation died between its claim and its outcome: it may have sent.
            fields["previousOutcome"] = "unknown"
            if not self._resend_unknown:
                return self._final(message, claim, UNKNOWN, fields, code=SEND_OUTCOME_UNKNOWN)
        now = self._clock()
        if message.deadline - now < MIN_TIME_TO_LIVE:
            return self._final(message, claim, EXPIRED, fields)
        if not channel_enabled(message.channel, self._settings.sms):
            # CHANNELS changed since the accept: the operator turned the channel off.
            return self._final(message, claim, REJECTED, fields, code=CHANNEL_NOT_ENABLED)
        promotional = message.message_type == "PROMOTIONAL"
        give_up_at = now + _remaining(context) - self._reserve
        parts = message.segments
        pace = self._pace(message)
        if not pace.take(_bucket(message), parts, promotional, give_up_at, ahead):
            self._release(message, claim)
            self._requeue(message, 0)
            return "deferred"
        time_to_live = int(message.deadline - self._clock())
        if time_to_live < MIN_TIME_TO_LIVE:
            return self._final(message, claim, EXPIRED, fields)
        try:
            message_id = self._sender.send(message.request(time_to_live, self._settings.sms))
        except ApiError as err:
            fields.update(code=err.code, status=err.status)
            return self._failed(message, claim, err, fields)
        return self._final(message, claim, SENT, fields, message_id)

    def _failed(self, message: QueueMessage, lease: Lease, err: ApiError, fields: dict) -> str:
        kind = classify(err)
        fields["error"] = err.message
        if kind == "throttled":
            with contextlib.suppress(ApiError):  # every instance backs off, not only this one
                self._pace(message).drain(_bucket(message))
            self._release(message, lease)
            self._requeue(message, THROTTLE_DELAY + 2 * self._jitter())
            return "throttled"
        if kind == "rejected":
            code = QUOTA_EXCEEDED if err.code == THROTTLED else err.code
            return self._final(message, lease, REJECTED, fields, code=code)
        if kind == "unknown":
            return self._unknown(message, lease, err, fields)
        return self._transient(message, lease, err, fields)

    def _unknown(self, message: QueueMessage, lease: Lease, err: ApiError, fields: dict) -> str:
        """The send function's UNKNOWN_OUTCOME policy: at_most_once records UNKNOWN (final:
        no copy sends again); at_least_once retries it like a transient failure."""
        fields["outcomeUnknown"] = True
        if self._resend_unknown:
            return self._transient(message, lease, err, fields)
        return self._final(message, lease, UNKNOWN, fields, code=SEND_OUTCOME_UNKNOWN)

    def _transient(self, message: QueueMessage, lease: Lease, err: ApiError, fields: dict) -> str:
        if message.attempt >= self._settings.max_attempts:
            # The DLQ copy starts a fresh count, so a redrive gets MAX_ATTEMPTS new tries;
            # the FAILED record lets it claim again (and nothing else: no second SMS).
            self._queue.send(self._settings.dlq_url, message.body(attempt=1))
            return self._final(message, lease, FAILED, fields, code=err.code)
        self._release(message, lease)
        # No cap here: the message's deadline and SQS's 900 s ceiling bound the delay.
        wait = backoff.delay(message.attempt, BACKOFF_BASE, math.inf, jitter=self._jitter)
        self._requeue(message, wait, attempt=message.attempt + 1)
        return "retry"

    def _final(
        self,
        message: QueueMessage,
        lease: Lease,
        status: str,
        fields: dict,
        message_id: str | None = None,
        code: str | None = None,
    ) -> str:
        fields.update(messageId=message_id, code=code)
        try:
            self._tracking.finish(lease, status, message.attempt, message_id, code)
        except ApiError as err:
            if status != SENT:
                raise  # nothing was sent: the record comes back and is decided again
            # Sent, whatever failed here: drop the message rather than risk a second SMS.
            self._log.error("sms_dispatch.record_failed", trackingId=message.tracking_id,
                            code=err.code)  # fmt: skip
        self._outcomes.put(status, message, message_id, code)
        return status.lower()

    def _release(self, message: QueueMessage, lease: Lease) -> None:
        self._tracking.finish(lease, PENDING, message.attempt)

    def _requeue(self, message: QueueMessage, delay: float, **changes: Any) -> None:
        left = message.deadline - self._clock()
        delay = max(0, min(delay, left))  # a copy seen after its deadline only expires
        url = self._settings.queue_urls[message.message_type]
        self._queue.send(url, message.body(**changes), int(delay + 0.999))

    def _defer(self, message: QueueMessage | str, fields: dict[str, Any]) -> str:
        """Put a record of a stopped batch back untouched (not a receive failure)."""
        if not _describe(message, fields):
            return "malformed"
        self._requeue(message, 0)
        return "deferred"


def _read(record: Any) -> QueueMessage | str:
    """The record's message, or why it is malformed (never the body: it holds the
    number and the text)."""
    body = record.get("body") if isinstance(record, Mapping) else None
    try:
        return parse(body)
    except MalformedMessage as exc:
        return str(exc)


def _describe(message: QueueMessage | str, fields: dict[str, Any]) -> bool:
    if isinstance(message, str):
        fields["error"] = message
        return False
    fields.update(
        trackingId=message.tracking_id,
        destination=mask(message.destination),
        channel=message.channel,
        messageType=message.message_type,
        segments=message.segments,
        attempt=message.attempt,
    )
    return True


def _ahead(messages: list[QueueMessage | str], i: int) -> list[int]:
    """The parts of the batch's later messages that take from the same bucket, the same
    way: the take of message i reserves for them too (one bucket write per batch)."""
    first = messages[i]
    if isinstance(first, str):
        return []
    return [
        m.segments
        for m in messages[i + 1 :]
        if not isinstance(m, str)
        and _bucket(m) == _bucket(first)
        and m.message_type == first.message_type
    ]


def _bucket(message: QueueMessage) -> str:
    """One bucket per origination identity (a WhatsApp phone number ID for WHATSAPP): the
    rate is the identity's."""
    return message.origination_identity or "default"


def _remaining(context: Any) -> float:
    return remaining_seconds(context, NO_CONTEXT_MS)


def create_dispatcher(environ: Mapping[str, str]) -> Dispatcher:
    """Cold start: settings and clients; raises ValueError on bad settings."""
    from .app import create_sender

    settings = dispatch_settings_from_env(environ)
    sms_client, _ = create_clients(settings.sms._replace(idempotency_table=None))
    sender = create_sender(sms_client, settings.sms)
    dynamodb = delivery_client("dynamodb")
    log = JsonLog(settings.sms.log_level)
    firehose = delivery_client("firehose") if settings.events_stream else None
    log.info(
        "sms_dispatch.init",
        api=settings.sms.sms_api,
        mps=settings.mps,
        whatsappMps=settings.whatsapp_mps if WHATSAPP in settings.sms.channels else None,
        channels=sorted(settings.sms.channels),
        promotionalReserve=settings.promotional_reserve,
        maxAttempts=settings.max_attempts,
        unknownOutcome=settings.sms.unknown_outcome,
        events=firehose is not None,
    )
    return Dispatcher(
        settings,
        sender,
        TrackingStore(dynamodb, settings.delivery_table),
        TokenBucket(dynamodb, settings.delivery_table, settings.mps, settings.promotional_reserve),
        DeliveryQueue(delivery_client("sqs")),
        OutcomeStream(firehose, settings.events_stream, log),
        log,
        metrics=dispatch_emf(environ),
        whatsapp_bucket=TokenBucket(
            dynamodb,
            settings.delivery_table,
            settings.whatsapp_mps,
            math.ceil(settings.whatsapp_mps / 3),
        ),
    )
