"""Bounded in-function retries with full jitter, inside AJO's time budget.

Only failures marked retry_safe (the SMS API surely did not take the message) are retried.
A new attempt starts only if it can finish, at its worst (connect + read timeout), within
both the function's send budget and the Lambda's remaining time; otherwise the error goes
back to AJO, which retries on its own.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from .errors import ApiError

BASE_DELAY = 0.1  # seconds; full jitter over 0.1, 0.2, 0.4 ... capped at MAX_DELAY
MAX_DELAY = 1.0
LAMBDA_SAFETY_MARGIN = 0.5  # seconds kept to answer API Gateway and log


def send_with_retries(
    send: Callable[[Any], str],
    request: Any,
    max_attempts: int,
    budget: float,
    attempt_worst_case: float,
    remaining_time: Callable[[], float] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    jitter: Callable[[], float] = random.random,
) -> tuple[str, int]:
    """(message ID, attempts made). remaining_time: seconds the Lambda has left, if known."""
    start = clock()
    attempt = 1
    while True:
        try:
            return send(request), attempt
        except ApiError as err:
            err.attempts = attempt
            if not err.retry_safe or attempt >= max_attempts:
                raise
            delay = jitter() * min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1))
            needed = delay + attempt_worst_case
            if clock() - start + needed > budget:
                raise
            if remaining_time is not None and remaining_time() - needed < LAMBDA_SAFETY_MARGIN:
                raise
            sleep(delay)
            attempt += 1
