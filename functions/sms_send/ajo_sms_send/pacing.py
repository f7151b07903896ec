"""A token bucket over message parts, in DynamoDB, shared by every dispatcher instance.

`pace#<bucket>` holds `tokens`, `updated` (epoch seconds) and `version`. Refill is MPS
parts per second up to a capacity of MPS (one second of burst). A dispatcher takes a
message's parts with a PutItem conditional on the version it computed from, so of two
instances racing for the same tokens one wins and the other retries with the state the
failed condition returns (ReturnValuesOnConditionCheckFailure): all instances together
never take more than MPS parts per second, plus the one-second burst.

PROMOTIONAL takes tokens only while the bucket keeps `reserve` parts after the take, so a
transactional backlog always gets them first. A message of more parts than the capacity
waits for a full bucket and leaves it in debt (negative), which keeps the average rate.
The state of the last write is cached per instance: the common case is one write per take.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, NamedTuple

from botocore.exceptions import BotoCoreError, ClientError

from .idempotency import _store_error
from .upstream import transport_error

WHAT = "the delivery table"


class _State(NamedTuple):
    tokens: float
    updated: float
    version: int


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
        self._reserve = reserve
        self._clock = clock
        self._sleep = sleep
        self._known: dict[str, _State | None] = {}  # bucket -> last state seen (None: absent)
        self.waited = 0.0  # seconds slept waiting for tokens (for the logs)

    def take(self, bucket: str, parts: int, promotional: bool, give_up_at: float) -> bool:
        """Take `parts` tokens, waiting while short; False if that would pass give_up_at.

        Raises ApiError when the table fails."""
        need = min(parts + (self._reserve if promotional else 0), self._mps)
        while True:
            now = self._clock()
            state = self._known.get(bucket)
            tokens = self._refilled(state, now)
            if tokens >= need:
                updated = max(now, state.updated) if state else now
                new = _State(tokens - parts, updated, (state.version if state else 0) + 1)
                if self._write(bucket, state, new):
                    return True
                continue  # lost a race: the failed condition gave us the current state
            wait = (need - tokens) / self._mps
            if now + wait > give_up_at:
                return False
            self._sleep(wait)
            self.waited += wait

    def drain(self, bucket: str) -> None:
        """Empty the bucket (the SMS API throttled: every instance backs off one second)."""
        for _ in range(3):
            state = self._known.get(bucket)
            now = self._clock()
            updated = max(now, state.updated) if state else now
            if self._write(bucket, state, _State(0.0, updated, (state.version if state else 0) + 1)):
                return

    def _refilled(self, state: _State | None, now: float) -> float:
        if state is None:
            return self._mps  # never written: a full bucket
        elapsed = max(now - state.updated, 0.0)  # instances' clocks may disagree slightly
        return min(self._mps, state.tokens + elapsed * self._mps)

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
            if (exc.response.get("Error") or {}).get("Code") != "ConditionalCheckFailedException":
                raise _store_error(exc.response) from None
            self._known[bucket] = _parse(exc.response.get("Item") or {})
            return False
        except BotoCoreError as exc:
            raise transport_error(exc, WHAT) from None
        self._known[bucket] = new
        return True


def _parse(item: dict[str, Any]) -> _State | None:
    if not item:
        return None
    return _State(
        float(item["tokens"]["N"]), float(item["updated"]["N"]), int(item["version"]["N"])
    )
