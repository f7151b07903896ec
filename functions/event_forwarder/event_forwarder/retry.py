"""The wait between two attempts of a request, shared by the senders."""

from __future__ import annotations

import time
from collections.abc import Callable

from ajo_runtime import backoff, http

from .config import Config


class Retry:
    def __init__(
        self,
        config: Config,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._config = config
        self._sleep = sleep
        self.clock = clock

    def back_off(self, attempt: int, answer: http.Response | None, deadline: float) -> bool:
        """Sleep before the next attempt; False when that would pass the
        deadline or the attempts are used up (no pointless last sleep)."""
        if attempt >= self._config.max_attempts:
            return False
        retry_after = backoff.parse_retry_after(answer.header("retry-after") if answer else None)
        delay = backoff.delay(
            attempt,
            self._config.backoff_base_seconds,
            self._config.backoff_max_seconds,
            retry_after,
        )
        if self.clock() + delay >= deadline:
            return False
        self._sleep(delay)
        return True
