"""POST each inbound message to AJO's inbound webhook, at least once.

Retried inside the invocation (MAX_ATTEMPTS, ajo_runtime.backoff): not sent at all,
answer lost after sending, 408, 429 and 5xx; then the SQS message fails and SQS
retries later. A lost answer or a 5xx may hide a body AJO stored: it is posted again
all the same (same body, same RequestID), because losing a STOP is a compliance
failure, while AJO can dedupe on RequestID and a repeated STOP changes no consent.
Any other 4xx is a refusal: logged by status only (no body text), the message fails
and the DLQ keeps it. 401 first re-reads the secret once (it may have been rotated).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from ajo_runtime import http
from ajo_runtime.backoff import Backoff
from ajo_runtime.header_secret import HeaderSecret, SecretUnavailable

from .errors import StepFailed

BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 4.0
RETRIED_STATUSES = frozenset({408, 429})


class Webhook:
    def __init__(
        self,
        url: str,
        header: str,
        secret: HeaderSecret | None,
        max_attempts: int,
        timeout: float,
        logger: logging.Logger,
        post: Callable[..., http.Response] = http.post,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._url = url
        self._header = header
        self._secret = secret
        self._timeout = timeout
        self._logger = logger
        self._post = post
        # Another try starts only if it can end (its timeout) before the deadline.
        self._backoff = Backoff(
            max_attempts, BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS, margin=timeout, sleep=sleep
        )

    def forward(self, body: dict, deadline: float, log: dict) -> int:
        """Post `body` until a 2xx (returns the attempts it took), else raise StepFailed."""
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            answer = None
            headers = {"Content-Type": "application/json"}
            if self._secret is not None:
                try:
                    headers[self._header] = self._secret.value()
                except SecretUnavailable as missing:
                    raise StepFailed("webhook", missing.reason, missing.permanent) from None
            try:
                answer = self._post(self._url, data, headers, self._timeout)
            except http.TransportError as error:
                reason = f"{'ANSWER_LOST' if error.sent else 'NOT_SENT'}:{error}"
            else:
                if 200 <= answer.status < 300:
                    return attempt
                reason = f"HTTP_{answer.status}"
                if answer.status == 401 and self._secret is not None and not refreshed:
                    self._secret.forget()  # read again on the next try
                    refreshed = True
                    attempt -= 1  # a rotated secret: this try does not count
                    continue
                if answer.status < 500 and answer.status not in RETRIED_STATUSES:
                    raise StepFailed("webhook", reason, permanent=True)
            if not self._backoff.before_retry(attempt, deadline, answer):
                break  # attempts spent, or no time for another: SQS brings the message back
            self._logger.info(
                "webhook attempt failed, retrying",
                extra={**log, "attempt": attempt, "reason": reason},
            )
        raise StepFailed("webhook", reason)
