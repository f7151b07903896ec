"""The request flow: event -> validated request -> (idempotency claim) -> send -> response.

Every outcome is a JSON response in the contract's shapes. Anything a caller sends ends in
a 2xx/4xx; 429/502/503 only come from the SMS API or DynamoDB. An exception nobody
expected (a bug) is logged by type, without traceback, and answered with a JSON 500
INTERNAL_ERROR / RETRY: distinct from the upstream codes so it is not mistaken for AWS
trouble, and retryable because nothing was recorded as sent.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from ajo_runtime.masking import mask
from ajo_runtime.metrics import Emf

from . import contract
from .config import (
    AT_LEAST_ONCE,
    Settings,
    create_clients,
    delivery_client,
    settings_from_env,
    whatsapp_client,
)
from .contract import (
    INTERNAL_ERROR,
    WHATSAPP,
    ApiError,
    Parts,
    gateway_request_id,
    parse_body,
    parts_of,
    send_outcome_unknown,
)
from .delivery import DeliveryQueue, from_request, tracking_id
from .senders import (
    ChannelSender,
    RetryPolicy,
    Sender,
    SmsV1Sender,
    SmsV2Sender,
    WhatsAppSender,
    clean,
    origination_parameter,
)
from .stores import Claim, IdempotencyStore, Replay, TrackingStore, item_id
from .telemetry import JsonLog, request_emf, request_values
from .validation import SUPPORTED_REGIONS, validate, warm_up


class SmsSendApp:
    def __init__(
        self,
        settings: Settings,
        sender: Sender,
        store: IdempotencyStore | None,
        log: JsonLog,
        queue: DeliveryQueue | None = None,
        tracking: TrackingStore | None = None,
        metrics: Emf | None = None,
    ):
        self._metrics = metrics or request_emf({})
        self._queue = queue  # queued delivery (docs/DELIVERY.md); None: direct only
        self._tracking = tracking
        self._settings = settings
        self._sender = sender
        self._store = store
        self._log = log
        self._retry = RetryPolicy(
            settings.max_attempts,
            settings.time_budget,
            settings.connect_timeout + settings.read_timeout,
        )

    def handle(self, event: Any, context: Any) -> dict[str, Any]:
        started = time.perf_counter()
        fields: dict[str, Any] = {"api": self._sender.api}
        api_request_id = gateway_request_id(event)  # in error bodies, as API Gateway's own
        try:
            response = self._handle(event, context, fields, api_request_id)
        except Exception as exc:  # last line of defence: JSON, no traceback, no number
            self._log.error("sms_send.unexpected", errorType=type(exc).__name__, error=clean(exc))
            response = contract.error(
                ApiError(500, INTERNAL_ERROR, "the function failed unexpectedly; retry later"),
                api_request_id,
            )
            fields["status"] = 500
        fields["requestId"] = getattr(context, "aws_request_id", None)
        if api_request_id is not None:  # correlates with API Gateway's access log
            fields["apiRequestId"] = api_request_id
        fields["durationMs"] = round((time.perf_counter() - started) * 1000, 3)
        self._log.log("INFO", "sms_send", fields, self._metrics.fragment(*request_values(fields)))
        return response

    def _handle(
        self, event: Any, context: Any, fields: dict[str, Any], api_request_id: str | None
    ) -> dict[str, Any]:
        try:
            request = validate(parse_body(event), self._settings)
            fields["destination"] = mask(request.destination)
            fields["channel"] = request.channel
            fields["dryRun"] = request.dry_run
            parts = parts_of(request.channel, request.message)
            fields["segments"] = parts.parts
            claim = None
            if request.idempotency_key and self._store is None:
                fields["idempotency"] = "off"  # no IDEMPOTENCY_TABLE: the key cannot be honoured
            elif request.idempotency_key and not request.dry_run:
                # Dry runs send nothing, so there is nothing to deduplicate.
                fields["idempotencyKeyHash"] = item_id(request.idempotency_key)[9:25]
                queued_at = time.time() if request.delivery == "queued" else None
                outcome = self._store.claim(
                    request, _in_flight_seconds(context, self._settings), queued_at
                )
                if isinstance(outcome, Replay) and outcome.tracking_id:
                    return self._queued_replay(outcome, request, parts, fields)
                if isinstance(outcome, Replay):
                    fields.update(status=200, idempotency="replay", messageId=outcome.message_id)
                    return contract.sent(
                        "SENT",
                        outcome.message_id,
                        request.destination,
                        request.channel,
                        parts,
                        True,
                    )
                claim = outcome
                # "resent": at_least_once sends again a request whose outcome was unknown
                # (queued: enqueues again one whose accept died before recording QUEUED).
                fields["idempotency"] = "resent" if claim.resend else "claimed"
            if request.delivery == "queued":
                return self._enqueue(request, parts, claim, fields)
            message_id, attempts = self._send(request, context, claim)
        except ApiError as err:
            fields.update(status=err.status, code=err.code, field=err.field, error=err.message)
            if err.attempts > 1:
                fields["attempts"] = err.attempts
            if err.outcome_unknown:
                fields["outcomeUnknown"] = True  # the SMS may have been sent
            return contract.error(err, api_request_id)
        fields.update(status=200, messageId=message_id, attempts=attempts)
        return contract.sent(
            "DRY_RUN" if request.dry_run else "SENT",
            message_id,
            request.destination,
            request.channel,
            parts,
        )

    def _send(self, request: Any, context: Any, claim: Claim | None) -> tuple[str, int]:
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        try:
            result = self._retry.send(
                self._sender.send, request, (lambda: remaining() / 1000) if remaining else None
            )
        except Exception as err:
            # Nothing sent: free the key. Maybe sent: keep it as UNKNOWN, never free it blindly.
            unknown = isinstance(err, ApiError) and err.outcome_unknown
            if claim is not None:
                self._settle("mark_unknown" if unknown else "release", claim)
            if unknown:
                raise self._unknown_answer(err) from None  # type: ignore[arg-type]
            raise
        if claim is not None:
            self._record(claim, result[0])
        return result

    def _enqueue(
        self, request: Any, parts: Parts, claim: Claim | None, fields: dict
    ) -> dict[str, Any]:
        """Queued delivery: one SQS message; the dispatcher sends it at the MPS. The claim
        (if any) was written QUEUED already: claim + SendMessage is the whole accept."""
        tracking = tracking_id(claim)
        accepted_at = claim.accepted_at if claim is not None else time.time()
        try:
            self._put(request, tracking, parts, accepted_at)
        except Exception:
            # Surely or maybe not queued: free the key; the retry carries the same
            # trackingId (derived from the claim), so a message queued twice sends once.
            if claim is not None:
                self._settle("release", claim)
            raise
        fields.update(status=202, trackingId=tracking, delivery="queued")
        return contract.queued(tracking, request.destination, request.channel, parts)

    def _queued_replay(
        self, replay: Replay, request: Any, parts: Parts, fields: dict
    ) -> dict[str, Any]:
        """The key's first copy was queued: same trackingId, and its messageId once sent.
        Not sent yet: enqueued again, since the first enqueue may have failed after its
        claim or still be in flight (the dispatcher sends one SMS for both copies)."""
        tracking = replay.tracking_id or ""
        message_id = None
        if self._tracking is not None:
            try:
                message_id = self._tracking.message_id(tracking)
            except ApiError as err:  # then enqueue again: harmless if it was sent
                self._log.warning("sms_send.tracking_read_failed", code=err.code)
        if message_id is None:
            self._put(request, tracking, parts, replay.accepted_at)
        fields.update(status=202, idempotency="replay", trackingId=tracking, messageId=message_id)
        return contract.queued(
            tracking, request.destination, request.channel, parts, True, message_id
        )

    def _put(self, request: Any, tracking: str, parts: Parts, accepted_at: float) -> None:
        message = from_request(
            request, tracking, parts, accepted_at, self._settings.validity_seconds
        )
        url = (self._settings.queue_urls or {})[request.message_type]
        self._queue.send(url, message.body())  # type: ignore[union-attr]

    def _record(self, claim: Claim, message_id: str) -> None:
        try:
            self._store.complete(claim, message_id)  # type: ignore[union-attr]
        except Exception as err:
            # The SMS is sent, whatever failed here: answer 200. The claim stays
            # IN_PROGRESS: copies get 429 until this invocation's deadline, then
            # UNKNOWN_OUTCOME applies (at_most_once sends nothing more).
            self._log.error(
                "sms_send.idempotency_record_failed",
                errorType=type(err).__name__,
                code=getattr(err, "code", None),
            )

    def _unknown_answer(self, err: ApiError) -> ApiError:
        """UNKNOWN_OUTCOME: at_most_once says so (a copy gets the same); at_least_once
        asks AJO to retry (the key is resendable)."""
        if self._settings.unknown_outcome == AT_LEAST_ONCE:
            return err
        answer = send_outcome_unknown()
        answer.attempts = err.attempts
        return answer

    def _settle(self, action: str, claim: Claim) -> None:
        """release() or mark_unknown() the claim; a failure keeps the send's own error."""
        try:
            getattr(self._store, action)(claim)
        except Exception as err:
            # Left IN_PROGRESS, the claim reads as an unknown outcome after its deadline.
            self._log.warning(
                f"sms_send.idempotency_{action}_failed",
                errorType=type(err).__name__,
                code=getattr(err, "code", None),
            )


def _in_flight_seconds(context: Any, settings: Settings) -> float:
    """How long a claim may stay IN_PROGRESS: this invocation cannot outlive its deadline."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is not None:
        return max(remaining() / 1000, 1.0)
    return settings.time_budget + 1


def _v1_sender(client: Any, settings: Settings) -> Sender:
    identity = settings.default_origination_identity
    if identity and origination_parameter(identity) is None:
        raise ValueError(
            "with SMS_API=v1, DEFAULT_ORIGINATION_IDENTITY must be a phone number, short code "
            "or sender ID"
        )
    return SmsV1Sender(client, settings.pinpoint_application_id or "")


def create_sender(sms_client: Any, settings: Settings) -> Sender:
    """The send function's and the dispatcher's sender: the SMS API's, and End User
    Messaging Social's for WHATSAPP when CHANNELS lists it (its client only then)."""
    if settings.sms_api == "v1":
        return _v1_sender(sms_client, settings)
    sender = SmsV2Sender(sms_client)
    if WHATSAPP not in settings.channels:
        return sender
    social = WhatsAppSender(whatsapp_client(settings), settings.meta_api_version)
    return ChannelSender(sender, social)


def create_app(environ: Mapping[str, str]) -> SmsSendApp:
    """Cold start: settings, clients, phone metadata; raises ValueError on bad settings."""
    settings = settings_from_env(environ)
    if settings.default_country not in SUPPORTED_REGIONS:
        raise ValueError(f"DEFAULT_COUNTRY {settings.default_country!r} is not a known region")
    sms_client, dynamodb = create_clients(settings)
    sender = create_sender(sms_client, settings)
    store = None
    if dynamodb is not None and settings.idempotency_table:
        store = IdempotencyStore(
            dynamodb,
            settings.idempotency_table,
            settings.idempotency_ttl_seconds,
            resend_unknown=settings.unknown_outcome == AT_LEAST_ONCE,
        )
    queue = tracking = None
    if settings.queue_urls is not None:
        queue = DeliveryQueue(delivery_client("sqs"))
        tracking = TrackingStore(delivery_client("dynamodb"), settings.delivery_table or "")
    warm_up(settings.default_country)
    log = JsonLog(settings.log_level)
    log.info(
        "sms_send.init",
        api=settings.sms_api,
        idempotency=store is not None,
        configurationSet=settings.configuration_set_name is not None,
        defaultCountry=settings.default_country,
        unknownOutcome=settings.unknown_outcome,
        defaultDelivery=settings.default_delivery,
        channels=sorted(settings.channels),
    )
    return SmsSendApp(settings, sender, store, log, queue, tracking, request_emf(environ))
