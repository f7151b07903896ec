"""Exponential backoff with jitter, the one retry delay of the functions, and the one
wait between two attempts of a request inside an invocation."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from . import http


def delay(
    attempt: int,
    base: float,
    cap: float,
    retry_after: float | None = None,
    jitter: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after failed attempt `attempt` (1-based): base * 2^(attempt-1),
    capped, times a random factor in [0.5, 1) so clients that failed together do
    not retry together; at least a server's Retry-After (bounded by 4 x cap)."""
    wait = min(cap, base * 2 ** (attempt - 1)) * (0.5 + jitter() / 2)
    if retry_after is not None:
        wait = max(wait, min(retry_after, cap * 4))
    return wait


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds; None when absent or an HTTP date (then our own backoff)."""
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Backoff:
    """Sleeps delay() before the next attempt of a request, unless attempt `max_attempts`
    was the last or the next one, `margin` seconds long at its worst (its timeout), could
    not end before the deadline: then no pointless last sleep, and the caller gives up
    (the queue brings the work back)."""

    max_attempts: int
    base: float
    cap: float
    margin: float = 0.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random

    def before_retry(
        self, attempt: int, deadline: float = math.inf, answer: http.Response | None = None
    ) -> bool:
        """After failed attempt `attempt` (1-based, `answer` its HTTP answer if it had
        one, whose Retry-After is honoured): True once slept, False to stop now."""
        if attempt >= self.max_attempts:
            return False
        retry_after = parse_retry_after(answer.header("retry-after")) if answer else None
        wait = delay(attempt, self.base, self.cap, retry_after, self.jitter)
        if self.clock() + wait + self.margin >= deadline:
            return False
        self.sleep(wait)
        return True
