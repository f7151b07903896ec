"""The exactly-once stores in DynamoDB: the send function's idempotency keys and the
dispatcher's tracking records.

At most one SMS per idempotencyKey, with DynamoDB (partition key `id`, TTL `expiration`).

Happy path, two calls (the floor for claim-and-record):
  1. PutItem IN_PROGRESS, conditional on "no live item": claims the key. Two copies
     arriving at once race on this condition; exactly one wins.
  2. after the send: PutItem COMPLETED with the message ID, replayed to later copies.
A send that surely sent nothing (refused, throttled, rejected) deletes the claim (only if
it is still ours), so AJO's retry can send. A send whose outcome is unknown (the SMS API's
answer was lost) marks the item UNKNOWN instead. An IN_PROGRESS claim past its deadline
is unknown too: its invocation died with the send in flight, or sent and could not write
COMPLETED. What a copy gets for an unknown outcome is the operator's choice
(UNKNOWN_OUTCOME): at_most_once answers SEND_OUTCOME_UNKNOWN and never sends;
at_least_once lets the copy claim the key and send again.

Items hold hashes, never the key or the phone number: `id` is a SHA-256 of the key and
`fingerprint` a SHA-256 of the request's fields. A copy whose fingerprint differs is a key
reused for another message: refused (400 IDEMPOTENCY_KEY_REUSED), never silently replayed
or resent. A copy arriving while the first is IN_PROGRESS gets 429 THROTTLED +
Retry-After: 1: its answer is not known yet.

One record per queued message, `track#<trackingId>` in the delivery table: exactly one SMS.

SQS delivers at least once, a dispatcher can die between the send and the delete, and a
DLQ redrive brings old copies back. Before sending, a dispatcher claims the record with a
conditional PutItem (status SENDING, owner token, a lease that ends with its invocation);
after the send it records the outcome. A copy that finds a final status is dropped without
sending; one that finds a live lease comes back later. Statuses (docs/DELIVERY.md):

  SENDING   claimed; the lease says until when
  PENDING   claimed, then released without sending (throttled, deferred, transient error)
  SENT REJECTED EXPIRED UNKNOWN   final: no copy ever sends again
  FAILED    attempts exhausted, message in the DLQ: a redriven copy may claim it again

A SENDING record whose lease ran out belonged to an invocation that died: whether it sent
is unknown, and the claim says so (Lease.unknown) for the dispatcher's policy.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from ajo_runtime.aws import error_code, service_error_of
from botocore.exceptions import BotoCoreError, ClientError

from .contract import (
    IDEMPOTENCY_KEY_REUSED,
    ApiError,
    bad_request,
    send_outcome_unknown,
    throttled,
)
from .request import SmsRequest
from .senders import service_error, transport_error

# Idempotency -------------------------------------------------------------------------------------

IDEMPOTENCY_WHAT = "the idempotency table"
IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"
UNKNOWN = "UNKNOWN"
# Queued delivery (docs/DELIVERY.md): the claim itself is the record, written QUEUED with
# the trackingId and acceptedAt in one PutItem before the enqueue (the accept path's floor
# is that write + SendMessage). A copy finding it enqueues again under the same trackingId
# (the first enqueue may have failed or be in flight; the dispatcher sends once).
QUEUED = "QUEUED"
_THROTTLING_CODES = frozenset(
    {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}
)
_FREE = "attribute_not_exists(#id) OR #expiration < :now"
# at_least_once only: an unknown outcome of the same request may be sent again.
_RESENDABLE = (
    " OR (#fingerprint = :fingerprint AND (#status = :unknown"
    " OR (#status = :in_progress AND #in_progress_expiration < :now)))"
)
_RESENDABLE_NAMES = {
    "#status": "status",
    "#in_progress_expiration": "in_progress_expiration",
    "#fingerprint": "fingerprint",
}
_OWNER_NAMES = {"#token": "token"}


class Claim(NamedTuple):
    """The key is ours: send, then complete(), release() or mark_unknown()."""

    item_id: str
    token: str
    fingerprint: str
    resend: bool = False  # at_least_once took over an unknown outcome of this request
    tracking_id: str | None = None  # queued: written with the claim
    accepted_at: float = 0.0


class Replay(NamedTuple):
    """The key was already used for this very request: answer with its result."""

    message_id: str
    tracking_id: str | None = None  # set when the first copy was queued
    accepted_at: float = 0.0


def item_id(key: str) -> str:
    return "sms_send#" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def tracking_id(item: str, fingerprint: str) -> str:
    """A queued request's trackingId: the same for every retry of the request (so an
    ambiguous enqueue repeated is deduplicated), another for a key reused elsewhere."""
    return hashlib.sha256(f"{item}#{fingerprint}".encode()).hexdigest()[:32]


def fingerprint(request: SmsRequest) -> str:
    canonical = json.dumps(
        request.fingerprint_fields(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


class IdempotencyStore:
    def __init__(
        self,
        client: Any,
        table: str,
        ttl_seconds: int,
        resend_unknown: bool = False,
        clock: Callable[[], float] = time.time,
    ):
        """resend_unknown: UNKNOWN_OUTCOME=at_least_once."""
        self._client = client
        self._table = table
        self._ttl = ttl_seconds
        self._resend_unknown = resend_unknown
        self._clock = clock

    def claim(
        self, request: SmsRequest, in_flight_seconds: float, queued_at: float | None = None
    ) -> Claim | Replay:
        """Claim the request's key, or say how an earlier copy ended. Raises ApiError.

        queued_at: a queued request accepted at this time (the claim is written QUEUED)."""
        now = int(self._clock())
        key = request.idempotency_key or ""
        claim = Claim(item_id(key), os.urandom(12).hex(), fingerprint(request))
        item = {
            "id": {"S": claim.item_id},
            "status": {"S": IN_PROGRESS},
            "expiration": {"N": str(now + self._ttl)},
            "in_progress_expiration": {"N": str(now + int(in_flight_seconds) + 1)},
            "fingerprint": {"S": claim.fingerprint},
            "token": {"S": claim.token},
        }
        if queued_at is not None:
            queued_at = round(queued_at, 3)  # as stored: a replay's copy has the same deadline
            tracking = tracking_id(claim.item_id, claim.fingerprint)
            claim = claim._replace(tracking_id=tracking, accepted_at=queued_at)
            del item["in_progress_expiration"]
            item["status"] = {"S": QUEUED}
            item["trackingId"] = {"S": tracking}
            item["acceptedAt"] = {"N": f"{queued_at:.3f}"}
        names = {"#id": "id", "#expiration": "expiration"}
        values = {":now": {"N": str(now)}}
        condition = _FREE
        if self._resend_unknown:
            condition += _RESENDABLE
            names.update(_RESENDABLE_NAMES)
            values.update(
                {
                    ":fingerprint": {"S": claim.fingerprint},
                    ":unknown": {"S": UNKNOWN},
                    ":in_progress": {"S": IN_PROGRESS},
                }
            )

        try:
            answer = self._client.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_OLD",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            unless_condition_failed(exc)
            return self._existing(claim, exc.response.get("Item") or {}, now)
        except BotoCoreError as exc:
            raise transport_error(exc, IDEMPOTENCY_WHAT) from None
        old = answer.get("Attributes") or {}
        if _s(old, "status") in (UNKNOWN, IN_PROGRESS) and int(_n(old, "expiration")) >= now:
            return claim._replace(resend=True)
        return claim

    def _existing(self, claim: Claim, item: dict[str, Any], now: int) -> Claim | Replay:
        if _s(item, "token") == claim.token:
            return claim  # botocore retried our own successful put
        if item and _s(item, "fingerprint") != claim.fingerprint:
            raise bad_request(
                IDEMPOTENCY_KEY_REUSED,
                "idempotencyKey was already used for a different message; "
                "use one key per message (e.g. journey, action and profile IDs)",
                "idempotencyKey",
            )
        status = _s(item, "status")
        if status == COMPLETED:
            return Replay(_s(item, "messageId"))
        if status == QUEUED:
            return Replay("", _s(item, "trackingId"), float(_n(item, "acceptedAt")))
        expired = status == IN_PROGRESS and int(_n(item, "in_progress_expiration")) < now
        if status == UNKNOWN or expired:
            # Only at_most_once gets here (at_least_once's condition lets the put through).
            raise send_outcome_unknown()
        # A send normally settles in milliseconds: ask for the earliest useful retry.
        raise throttled(
            "a request with this idempotencyKey is being sent; retry to get its result",
            retry_after=1,
            field="idempotencyKey",
        )

    def complete(self, claim: Claim, message_id: str) -> None:
        """Record the sent message so copies replay it. Raises ApiError on failure."""
        now = int(self._clock())
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    "id": {"S": claim.item_id},
                    "status": {"S": COMPLETED},
                    "expiration": {"N": str(now + self._ttl)},
                    "fingerprint": {"S": claim.fingerprint},
                    "messageId": {"S": message_id},
                    "token": {"S": claim.token},
                },
            )
        except ClientError as exc:
            raise _store_error(exc.response) from None
        except BotoCoreError as exc:
            raise transport_error(exc, IDEMPOTENCY_WHAT) from None

    def release(self, claim: Claim) -> None:
        """Free the key after a failed send, unless someone else holds it by now."""
        try:
            self._client.delete_item(
                TableName=self._table,
                Key={"id": {"S": claim.item_id}},
                ConditionExpression="#token = :token",
                ExpressionAttributeNames=_OWNER_NAMES,
                ExpressionAttributeValues={":token": {"S": claim.token}},
            )
        except ClientError as exc:
            unless_condition_failed(exc)
        except BotoCoreError as exc:
            raise transport_error(exc, IDEMPOTENCY_WHAT) from None

    def mark_unknown(self, claim: Claim) -> None:
        """Keep the key with an unknown outcome (the SMS may have been sent), if still ours.

        Should this write fail too, the IN_PROGRESS claim says the same once its deadline
        passes."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"id": {"S": claim.item_id}},
                UpdateExpression="SET #status = :unknown REMOVE #in_progress_expiration",
                ConditionExpression="#token = :token",
                ExpressionAttributeNames={
                    **_OWNER_NAMES,
                    "#status": "status",
                    "#in_progress_expiration": "in_progress_expiration",
                },
                ExpressionAttributeValues={
                    ":token": {"S": claim.token},
                    ":unknown": {"S": UNKNOWN},
                },
            )
        except ClientError as exc:
            unless_condition_failed(exc)
        except BotoCoreError as exc:
            raise transport_error(exc, IDEMPOTENCY_WHAT) from None


def _s(item: dict[str, Any], name: str) -> str:
    return str((item.get(name) or {}).get("S") or "")


def _n(item: dict[str, Any], name: str) -> str:
    return str((item.get(name) or {}).get("N") or "0")


def unless_condition_failed(exc: ClientError) -> None:
    """A conditional write whose condition failed is an answer (the item is not as we
    expected: another owner, a newer version); any other error is the store's."""
    if error_code(exc) != "ConditionalCheckFailedException":
        raise _store_error(exc.response) from None


def _store_error(response: dict[str, Any]) -> ApiError:
    code, message, status = service_error_of(response)
    if code in _THROTTLING_CODES:
        return throttled(f"{IDEMPOTENCY_WHAT} is throttling; retry later")
    return service_error(code, message, status, IDEMPOTENCY_WHAT)


# Tracking ----------------------------------------------------------------------------------------

TRACKING_WHAT = "the delivery table"
SENDING, PENDING, SENT, REJECTED = "SENDING", "PENDING", "SENT", "REJECTED"
EXPIRED, FAILED, UNKNOWN = "EXPIRED", "FAILED", "UNKNOWN"
FINAL = frozenset({SENT, REJECTED, EXPIRED, UNKNOWN})
_CLAIM_CONDITION = (
    "attribute_not_exists(#id) OR #status IN (:pending, :failed)"
    " OR (#status = :sending AND #lease < :now)"
)
_NAMES = {"#id": "id", "#status": "status", "#lease": "lease_expiration"}
_OWNER = {"#token": "token"}


class Lease(NamedTuple):
    """The message is ours to send until `until`."""

    item_id: str
    token: str
    expiration: int
    unknown: bool  # an earlier holder died while SENDING: it may have sent


class Busy(NamedTuple):
    """Another dispatcher holds a live lease: try again after `seconds`."""

    seconds: float


class Done(NamedTuple):
    """A final outcome is recorded: drop this copy without sending."""

    status: str
    message_id: str


def tracking_item_id(tracking_id: str) -> str:
    return "track#" + tracking_id


class TrackingStore:
    def __init__(self, client: Any, table: str, clock: Callable[[], float] = time.time):
        self._client = client
        self._table = table
        self._clock = clock

    def claim(self, tracking_id: str, lease_seconds: float, expiration: int) -> Lease | Busy | Done:
        """Raises ApiError when the table fails (the record goes back to SQS)."""
        now = self._clock()
        lease = Lease(tracking_item_id(tracking_id), os.urandom(12).hex(), expiration, False)
        try:
            answer = self._client.put_item(
                TableName=self._table,
                Item={
                    "id": {"S": lease.item_id},
                    "status": {"S": SENDING},
                    "token": {"S": lease.token},
                    "lease_expiration": {"N": f"{now + lease_seconds:.3f}"},
                    "expiration": {"N": str(expiration)},
                },
                ConditionExpression=_CLAIM_CONDITION,
                ExpressionAttributeNames=_NAMES,
                ExpressionAttributeValues={
                    ":pending": {"S": PENDING},
                    ":failed": {"S": FAILED},
                    ":sending": {"S": SENDING},
                    ":now": {"N": f"{now:.3f}"},
                },
                ReturnValues="ALL_OLD",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            unless_condition_failed(exc)
            old = exc.response.get("Item") or {}
            if _s(old, "status") in FINAL:
                return Done(_s(old, "status"), _s(old, "messageId"))
            return Busy(max(_float_n(old, "lease_expiration") - now, 0.0))
        except BotoCoreError as exc:
            raise transport_error(exc, TRACKING_WHAT) from None
        old = answer.get("Attributes") or {}
        return lease._replace(unknown=_s(old, "status") == SENDING)

    def finish(
        self,
        lease: Lease,
        status: str,
        attempts: int,
        message_id: str | None = None,
        code: str | None = None,
    ) -> None:
        """Record the outcome (or PENDING: released unsent), if the lease is still ours."""
        item: dict[str, Any] = {
            "id": {"S": lease.item_id},
            "status": {"S": status},
            "token": {"S": lease.token},
            "attempts": {"N": str(attempts)},
            "updated": {"N": f"{self._clock():.3f}"},
            "expiration": {"N": str(lease.expiration)},
        }
        if message_id:
            item["messageId"] = {"S": message_id}
        if code:
            item["code"] = {"S": code}
        try:
            self._client.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression="#token = :token",
                ExpressionAttributeNames=_OWNER,
                ExpressionAttributeValues={":token": {"S": lease.token}},
            )
        except ClientError as exc:
            raise _store_error(exc.response) from None
        except BotoCoreError as exc:
            raise transport_error(exc, TRACKING_WHAT) from None

    def message_id(self, tracking_id: str) -> str | None:
        """The message ID once SENT (the send function's idempotent replay); else None."""
        try:
            answer = self._client.get_item(
                TableName=self._table,
                Key={"id": {"S": tracking_item_id(tracking_id)}},
                ProjectionExpression="#status, messageId",
                ExpressionAttributeNames={"#status": "status"},
            )
        except ClientError as exc:
            raise _store_error(exc.response) from None
        except BotoCoreError as exc:
            raise transport_error(exc, TRACKING_WHAT) from None
        item = answer.get("Item") or {}
        return _s(item, "messageId") or None if _s(item, "status") == SENT else None


def _float_n(item: dict[str, Any], name: str) -> float:
    try:
        return float((item.get(name) or {}).get("N") or 0)
    except ValueError:
        return 0.0
