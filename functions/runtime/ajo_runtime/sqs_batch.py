"""What the SQS-triggered functions share: how long an invocation may keep starting
work, the partial-batch loop over its records, and the answer of a function deployed
with an unusable environment."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DEFAULT_REMAINING_MS = 60_000  # no Lambda context (a local run)
UNFINISHED = "message not finished, it returns to the queue"

# A failed record's log line: level, message, fields beside the record's own.
LogLine = tuple[int, str, dict[str, Any]]


def remaining_seconds(context: Any, default_ms: float = DEFAULT_REMAINING_MS) -> float:
    """The invocation's time left, in seconds (`default_ms` without a Lambda context)."""
    getter = getattr(context, "get_remaining_time_in_millis", None)
    return (getter() if callable(getter) else default_ms) / 1000


def deadline(context: Any, safety_seconds: float) -> float:
    """time.monotonic() after which no new record is started: Lambda's remaining time
    less max(safety_seconds, 10 %), so the last state write and the answer always fit."""
    remaining = remaining_seconds(context)
    return time.monotonic() + max(remaining - max(safety_seconds, remaining * 0.1), 0)


class Reported(Exception):
    """The record failed and its handler has logged why: the batch only reports it."""


@dataclass(frozen=True)
class PartialBatch:
    """Powertools' partial-batch shape: every record on its own, only the failed ones
    reported (batchItemFailures), so one bad message never fails the others and SQS
    redelivers exactly the unfinished ones (after maxReceiveCount: the DLQ).

    `handle(record, deadline, log)` does a record's work or raises; `log` (the messageId
    and whatever handle adds) goes on the failure's line, which `describe(error)` gives
    (None for an error it does not know: a bug or an outage, logged as "message failed"
    with its type). A record not started by the deadline fails as `out_of_time()`."""

    handle: Callable[[dict, float, dict[str, Any]], None]
    describe: Callable[[Exception], LogLine | None]
    out_of_time: Callable[[], Exception]
    logger: logging.Logger
    safety_seconds: float

    def __call__(self, event: dict, context: Any) -> dict:
        until = deadline(context, self.safety_seconds)
        failures = []
        for record in event.get("Records") or []:
            message_id = record.get("messageId")
            log: dict[str, Any] = {"messageId": message_id}
            try:
                if time.monotonic() >= until:
                    raise self.out_of_time()
                self.handle(record, until, log)
            except Reported:
                pass
            except Exception as error:  # every failure is the record's alone
                level, message, fields = self.describe(error) or (
                    logging.ERROR,
                    "message failed",
                    {"errorType": type(error).__name__},
                )
                self.logger.log(level, message, extra={**log, **fields})
            else:
                continue
            failures.append({"itemIdentifier": message_id})
        return {"batchItemFailures": failures}


def misconfigured(logger: logging.Logger, what: str, problem: str) -> Callable[..., dict]:
    """A handler failing every record (kept, then in the DLQ) until the deployment is fixed."""
    logger.error(f"{what} misconfigured", extra={"reason": problem})

    def fail_all(event: dict, context: Any) -> dict:
        logger.error(f"{what} misconfigured, returning every message", extra={"reason": problem})
        records = event.get("Records") or []
        return {"batchItemFailures": [{"itemIdentifier": r.get("messageId")} for r in records]}

    return fail_all
