"""One record per queued message, `track#<trackingId>` in the delivery table: exactly one SMS.

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

import os
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from botocore.exceptions import BotoCoreError, ClientError

from .idempotency import _store_error, unless_condition_failed
from .upstream import transport_error

WHAT = "the delivery table"
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


def item_id(tracking_id: str) -> str:
    return "track#" + tracking_id


class TrackingStore:
    def __init__(self, client: Any, table: str, clock: Callable[[], float] = time.time):
        self._client = client
        self._table = table
        self._clock = clock

    def claim(self, tracking_id: str, lease_seconds: float, expiration: int) -> Lease | Busy | Done:
        """Raises ApiError when the table fails (the record goes back to SQS)."""
        now = self._clock()
        lease = Lease(item_id(tracking_id), os.urandom(12).hex(), expiration, False)
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
            return Busy(max(_n(old, "lease_expiration") - now, 0.0))
        except BotoCoreError as exc:
            raise transport_error(exc, WHAT) from None
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
            raise transport_error(exc, WHAT) from None

    def message_id(self, tracking_id: str) -> str | None:
        """The message ID once SENT (the send function's idempotent replay); else None."""
        try:
            answer = self._client.get_item(
                TableName=self._table,
                Key={"id": {"S": item_id(tracking_id)}},
                ProjectionExpression="#status, messageId",
                ExpressionAttributeNames={"#status": "status"},
            )
        except ClientError as exc:
            raise _store_error(exc.response) from None
        except BotoCoreError as exc:
            raise transport_error(exc, WHAT) from None
        item = answer.get("Item") or {}
        return _s(item, "messageId") or None if _s(item, "status") == SENT else None


def _s(item: dict[str, Any], name: str) -> str:
    return str((item.get(name) or {}).get("S") or "")


def _n(item: dict[str, Any], name: str) -> float:
    try:
        return float((item.get(name) or {}).get("N") or 0)
    except ValueError:
        return 0.0
