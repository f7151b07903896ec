"""A token bucket over message parts, in DynamoDB, shared by every dispatcher instance.

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
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, NamedTuple

from botocore.exceptions import BotoCoreError, ClientError

from .idempotency import _store_error
from .upstream import transport_error

WHAT = "the delivery table"
JITTER_MARGIN = 1.0  # parts of capacity kept back (see above)
EPSILON = 1e-6  # parts: float refills land a hair short of a whole part
MIN_WAIT = 0.001  # seconds: a wait always moves the clock on


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
        self._capacity = max(mps - JITTER_MARGIN, min(mps, 1.0))
        self._reserve = reserve
        self._clock = clock
        self._sleep = sleep
        self._known: dict[str, _State | None] = {}  # bucket -> last state seen (None: absent)
        self.waited = 0.0  # seconds slept waiting for tokens (for the logs)
        self.due = 0.0  # when the last take's parts were due (the bucket's own clock)

    def take(self, bucket: str, parts: int, promotional: bool, give_up_at: float) -> bool:
        """Take `parts` tokens, waiting while short; False if that would pass give_up_at.

        Transactional reserves: it takes at once, into debt if need be, and sleeps until
        its parts are due, so instances queue up on the bucket with one write each instead
        of waking together and racing for every part. Promotional never reserves: it takes
        only what leaves the reserve, and otherwise waits and looks again.
        Raises ApiError when the table fails."""
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
            updated = max(now, state.updated) if state else now
            if not self._write(
                bucket, state, _State(after, updated, (state.version if state else 0) + 1)
            ):
                continue  # lost a race: the failed condition gave us the current state
            self.due = now + wait
            if wait > EPSILON / self._mps:
                self._sleep(wait)
                self.waited += wait
            return True

    def drain(self, bucket: str) -> None:
        """Empty the bucket (the SMS API throttled: every instance backs off one second)."""
        for _ in range(3):
            state = self._known.get(bucket)
            now = self._clock()
            updated = max(now, state.updated) if state else now
            if self._write(
                bucket, state, _State(0.0, updated, (state.version if state else 0) + 1)
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
