"""What the SQS-triggered functions share: how long an invocation may keep starting
work, and the answer of a function deployed with an unusable environment."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

DEFAULT_REMAINING_MS = 60_000  # no Lambda context (a local run)


def remaining_seconds(context: Any) -> float:
    getter = getattr(context, "get_remaining_time_in_millis", None)
    return (getter() if callable(getter) else DEFAULT_REMAINING_MS) / 1000


def deadline(context: Any, safety_seconds: float) -> float:
    """time.monotonic() after which no new record is started: Lambda's remaining time
    less max(safety_seconds, 10 %), so the last state write and the answer always fit."""
    remaining = remaining_seconds(context)
    return time.monotonic() + max(remaining - max(safety_seconds, remaining * 0.1), 0)


def misconfigured(logger: logging.Logger, what: str, problem: str) -> Callable[..., dict]:
    """A handler failing every record (kept, then in the DLQ) until the deployment is fixed."""
    logger.error(f"{what} misconfigured", extra={"reason": problem})

    def fail_all(event: dict, context: Any) -> dict:
        logger.error(f"{what} misconfigured, returning every message", extra={"reason": problem})
        records = event.get("Records") or []
        return {"batchItemFailures": [{"itemIdentifier": r.get("messageId")} for r in records]}

    return fail_all
