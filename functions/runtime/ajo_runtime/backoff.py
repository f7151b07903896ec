"""Exponential backoff with jitter, the one retry delay of the functions."""

from __future__ import annotations

import random
from collections.abc import Callable


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
