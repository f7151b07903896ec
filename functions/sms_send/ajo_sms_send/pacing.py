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
A take may reserve for the messages of its batch behind it too (`ahead`): one write per
batch, the parts kept as this instance's credit until `settle()` gives back what the
batch did not use (the credit never outlives the invocation, so it cannot turn into a burst).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from botocore.exceptions import BotoCoreError, ClientError

from .errors import ApiError
from .idempotency import unless_condition_failed
from .upstream import transport_error

WHAT = "the delivery table"
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
            raise transport_error(exc, WHAT) from None
        self._known[bucket] = new
        return True


def _parse(item: dict[str, Any]) -> _State | None:
    if not item:
        return None
    return _State(
        float(item["tokens"]["N"]), float(item["updated"]["N"]), int(item["version"]["N"])
    )
