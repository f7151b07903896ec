"""At most one SMS per idempotencyKey, with DynamoDB (partition key `id`, TTL `expiration`).

Happy path, two calls (the floor for claim-and-record):
  1. PutItem IN_PROGRESS, conditional on "no live item": claims the key. Two copies
     arriving at once race on this condition; exactly one wins.
  2. after the send: PutItem COMPLETED with the message ID, replayed to later copies.
A failed send deletes the claim (only if it is still ours), so AJO's retry can send: every
failure path sends nothing or (read timeout) may have sent; a lost SMS is judged worse than
the rare duplicate that ambiguity allows.

Items hold hashes, never the key or the phone number: `id` is a SHA-256 of the key and
`fingerprint` a SHA-256 of the request's fields. A copy whose fingerprint differs is a key
reused for another message: refused (400 IDEMPOTENCY_KEY_REUSED), never silently replayed.
A copy arriving while the first is IN_PROGRESS gets 429 THROTTLED + Retry-After: 1: its
answer is not known yet. A claim left by a crashed invocation expires with the invocation's
own deadline (`in_progress_expiration`), then the key can be claimed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from botocore.exceptions import BotoCoreError, ClientError

from .errors import IDEMPOTENCY_KEY_REUSED, ApiError, bad_request, throttled
from .upstream import service_error, transport_error
from .validation import SmsRequest

WHAT = "the idempotency table"
IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"
QUEUED = "QUEUED"  # queued delivery: the item holds the trackingId (docs/DELIVERY.md)
_THROTTLING_CODES = frozenset(
    {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}
)
_CLAIM_CONDITION = (
    "attribute_not_exists(#id) OR #expiration < :now"
    " OR (#status = :in_progress AND #in_progress_expiration < :now)"
)
_CLAIM_NAMES = {
    "#id": "id",
    "#expiration": "expiration",
    "#status": "status",
    "#in_progress_expiration": "in_progress_expiration",
}
_RELEASE_NAMES = {"#token": "token"}


class Claim(NamedTuple):
    """The key is ours: send, then complete() or release()."""

    item_id: str
    token: str
    fingerprint: str


class Replay(NamedTuple):
    """The key was already used for this very request: answer with its result."""

    message_id: str
    tracking_id: str | None = None  # set when the first copy was queued


def item_id(key: str) -> str:
    return "sms_send#" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


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
        clock: Callable[[], float] = time.time,
    ):
        self._client = client
        self._table = table
        self._ttl = ttl_seconds
        self._clock = clock

    def claim(self, request: SmsRequest, in_flight_seconds: float) -> Claim | Replay:
        """Claim the request's key, or say how an earlier copy ended. Raises ApiError."""
        now = int(self._clock())
        key = request.idempotency_key or ""
        claim = Claim(item_id(key), os.urandom(12).hex(), fingerprint(request))
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    "id": {"S": claim.item_id},
                    "status": {"S": IN_PROGRESS},
                    "expiration": {"N": str(now + self._ttl)},
                    "in_progress_expiration": {"N": str(now + int(in_flight_seconds) + 1)},
                    "fingerprint": {"S": claim.fingerprint},
                    "token": {"S": claim.token},
                },
                ConditionExpression=_CLAIM_CONDITION,
                ExpressionAttributeNames=_CLAIM_NAMES,
                ExpressionAttributeValues={
                    ":now": {"N": str(now)},
                    ":in_progress": {"S": IN_PROGRESS},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            error = exc.response.get("Error") or {}
            if error.get("Code") != "ConditionalCheckFailedException":
                raise _store_error(exc.response) from None
            return self._existing(claim, exc.response.get("Item") or {}, now)
        except BotoCoreError as exc:
            raise transport_error(exc, WHAT) from None
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
        if _s(item, "status") == COMPLETED:
            return Replay(_s(item, "messageId"))
        if _s(item, "status") == QUEUED:
            return Replay("", _s(item, "trackingId"))
        # A send normally settles in milliseconds: ask for the earliest useful retry.
        raise throttled(
            "a request with this idempotencyKey is being sent; retry to get its result",
            retry_after=1,
            field="idempotencyKey",
        )

    def complete(self, claim: Claim, message_id: str, tracking_id: str | None = None) -> None:
        """Record the sent (or, with tracking_id, queued) message so copies replay it.

        Raises ApiError on failure."""
        now = int(self._clock())
        item = {
            "id": {"S": claim.item_id},
            "status": {"S": QUEUED if tracking_id else COMPLETED},
            "expiration": {"N": str(now + self._ttl)},
            "fingerprint": {"S": claim.fingerprint},
            "token": {"S": claim.token},
        }
        if tracking_id:
            item["trackingId"] = {"S": tracking_id}
        else:
            item["messageId"] = {"S": message_id}
        try:
            self._client.put_item(TableName=self._table, Item=item)
        except ClientError as exc:
            raise _store_error(exc.response) from None
        except BotoCoreError as exc:
            raise transport_error(exc, WHAT) from None

    def release(self, claim: Claim) -> None:
        """Free the key after a failed send, unless someone else holds it by now."""
        try:
            self._client.delete_item(
                TableName=self._table,
                Key={"id": {"S": claim.item_id}},
                ConditionExpression="#token = :token",
                ExpressionAttributeNames=_RELEASE_NAMES,
                ExpressionAttributeValues={":token": {"S": claim.token}},
            )
        except ClientError as exc:
            error = exc.response.get("Error") or {}
            if error.get("Code") != "ConditionalCheckFailedException":
                raise _store_error(exc.response) from None
        except BotoCoreError as exc:
            raise transport_error(exc, WHAT) from None


def _s(item: dict[str, Any], name: str) -> str:
    return str((item.get(name) or {}).get("S") or "")


def _store_error(response: dict[str, Any]) -> ApiError:
    error = response.get("Error") or {}
    code = error.get("Code") or "Unknown"
    if code in _THROTTLING_CODES:
        return throttled(f"{WHAT} is throttling; retry later")
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0
    return service_error(code, error.get("Message") or "", status, WHAT)
