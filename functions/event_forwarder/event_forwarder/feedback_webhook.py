"""Post delivery reports to AJO's SMS feedback webhook, one event per call.

Like the AEP inlet (inlet.py), a report is posted again only when AJO cannot
have taken it:
  2xx                                         -> accepted
  not sent (DNS, refused, connect timeout, TLS),
  408, 429, 503 (refused before processing)   -> back off (Retry-After), retry;
                                                 attempts spent: unresolved
  401                                         -> re-read the secret once, retry;
                                                 again: unresolved
  403, 404, 405, 410 (the webhook, not the report, is wrong: a deleted webhook
  or a gateway in front)                      -> unresolved: back through SQS to
                                                 the DLQ, never dropped
  other 4xx                                   -> rejected (kept with the status)
and never when it may have: sent but no whole answer (read timeout, reset,
close), 500/502/504 and other 5xx -> unknown (kept, never re-posted).
After an unknown or unresolved report the rest of the batch is not posted
(unresolved: retried when the queue brings the object back)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from ajo_runtime import http
from ajo_runtime.backoff import Backoff
from ajo_runtime.header_secret import HeaderSecret, SecretUnavailable

from .config import Config
from .credentials import CredentialsUnavailable
from .inlet import NOT_PROCESSED, safe_text
from .outcome import BatchOutcome, Rejection

WRONG_WEBHOOK = frozenset({403, 404, 405, 410})


class FeedbackWebhook:
    def __init__(
        self,
        config: Config,
        secret: HeaderSecret | None,
        logger: logging.Logger,
        backoff: Backoff,
        post: Callable[..., http.Response] = http.post,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._config = config
        self._feedback = config.feedback
        self._secret = secret
        self._logger = logger
        self._backoff = backoff
        self._post = post
        self._clock = clock
        self._refreshed = False

    def send(self, messages: dict[int, dict], deadline: float) -> BatchOutcome:
        """Post each report in index order until one is unknown or unresolved
        (then the rest are unresolved). Never raises."""
        outcome = BatchOutcome()
        self._refreshed = False  # one secret re-read per batch, not per report
        order = sorted(messages)
        for position, index in enumerate(order):
            failure = self._deliver(index, messages[index], deadline, outcome)
            if failure is not None:
                outcome.failure = failure
                outcome.unresolved = [i for i in order[position:] if i not in outcome.unknown]
                break
        return outcome

    def _deliver(self, index: int, report: dict, deadline: float, outcome: BatchOutcome):
        """Post one report; record it in `outcome`. Returns why the batch stops
        (the report is then unknown or unresolved), None to go on."""
        body = json.dumps(report, separators=(",", ":")).encode()
        attempt = 0
        while True:
            if self._clock() >= deadline:
                return "OUT_OF_TIME"
            attempt += 1
            outcome.attempts += 1
            try:
                answer = self._post(
                    self._feedback.webhook_url,
                    body,
                    self._headers(),
                    self._config.http_timeout_seconds,
                )
            except (CredentialsUnavailable, SecretUnavailable) as missing:
                return f"CREDENTIALS_UNAVAILABLE:{missing.reason}"
            except http.TransportError as error:
                if error.sent:
                    outcome.unknown[index] = Rejection(None, f"ANSWER_LOST:{error}")
                    return "OUTCOME_UNKNOWN"
                self._logger.warning(
                    "feedback webhook unreachable, report not sent",
                    extra={"reason": str(error), "attempt": attempt},
                )
                answer = None
            if answer is not None:
                if 200 <= answer.status < 300:
                    outcome.accepted.append(index)
                    return None
                if answer.status == 401:
                    if self._secret is None or self._refreshed:
                        self._logger.error("feedback webhook refused the secret header")
                        return "FEEDBACK_UNAUTHORIZED"
                    self._refreshed = True
                    attempt -= 1  # the refresh retry is free
                    self._logger.info("feedback webhook secret refused, re-reading it once")
                    self._secret.forget()
                    try:
                        self._secret.value()
                    except SecretUnavailable as missing:
                        return f"CREDENTIALS_UNAVAILABLE:{missing.reason}"
                    continue
                if answer.status >= 500 and answer.status not in NOT_PROCESSED:
                    outcome.unknown[index] = Rejection(answer.status, f"HTTP_{answer.status}")
                    return "OUTCOME_UNKNOWN"
                if answer.status in WRONG_WEBHOOK:
                    self._logger.error(
                        "feedback webhook refused every report, check its URL",
                        extra={"status": answer.status},
                    )
                    return f"FEEDBACK_REFUSED_{answer.status}"
                if answer.status not in NOT_PROCESSED:
                    detail = safe_text(answer.body.decode("utf-8", "replace"))
                    self._logger.warning(
                        "feedback webhook refused a report, kept",
                        extra={"status": answer.status, "detail": detail},
                    )
                    reason = f"HTTP_{answer.status}" + (f": {detail}" if detail else "")
                    outcome.rejected[index] = Rejection(answer.status, reason)
                    return None
                self._logger.warning(
                    "feedback webhook busy, backing off",
                    extra={"status": answer.status, "attempt": attempt},
                )
            if not self._backoff.before_retry(attempt, deadline, answer):
                return "FEEDBACK_UNAVAILABLE"

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self._secret is not None:
            headers[self._feedback.header] = self._secret.value()
        return headers
