"""Post batches of messages to AEP's streaming inlet (`/collection/batch/`).

AEP keeps every copy of an `_id` in the dataset (README: Duplicates), so a
request is posted again only when AEP cannot have stored any of it:
  not sent (DNS, refused, connect timeout, TLS)  -> back off, retry
  401                                            -> refresh the token once, retry
  408, 429, 503 (refused before processing)      -> back off (Retry-After), retry
  200 / 207 per message: accepted; failed 408/429/5xx -> that one retried;
                         failed otherwise -> rejected
  413                                            -> `too_large` (the caller splits)
  other 4xx, or no token                         -> `failure`, the rest unresolved
and never when it may have stored it: sent but no whole answer (read timeout,
reset, close, half an answer), 500/502/504 and other 5xx, a 207 whose results
do not match the messages -> every message of that request is `unknown`."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from ajo_runtime import http
from ajo_runtime.backoff import Backoff
from ajo_runtime.masking import mask_numbers_in_text

from .config import Config
from .credentials import CredentialsUnavailable, TokenProvider
from .outcome import BatchOutcome, Rejection

NOT_PROCESSED = frozenset({408, 429, 503})
RETRYABLE_MESSAGE = frozenset({408, 429}) | frozenset(range(500, 600))
ACCEPTED_STATUSES = frozenset({200, 201, 202, 207})
MAX_DETAIL = 200


def safe_text(text: str) -> str:
    """AEP's text as it may be logged (it may quote a refused phone number):
    numbers masked, length bounded."""
    return mask_numbers_in_text(text)[:MAX_DETAIL]


class Inlet:
    def __init__(
        self,
        config: Config,
        tokens: TokenProvider,
        logger: logging.Logger,
        backoff: Backoff,
        post: Callable[..., http.Response] = http.post,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._config = config
        self._aep = config.aep
        self._tokens = tokens
        self._logger = logger
        self._backoff = backoff
        self._post = post
        self._clock = clock

    def send(self, messages: dict[int, dict], deadline: float) -> BatchOutcome:
        """Post `messages` (index -> envelope) until each is accepted, rejected
        or unknown, or attempts/time run out (the rest are `unresolved`). Never
        raises: what a first attempt got through stays recorded."""
        outcome = BatchOutcome()
        pending = dict(messages)
        refreshed = False
        while pending and outcome.attempts < self._config.max_attempts:
            if self._clock() >= deadline:
                break
            outcome.attempts += 1
            indexes = list(pending)
            try:
                answer = self._post_once([pending[i] for i in indexes])
                if answer.status == 401 and not refreshed:
                    refreshed = True
                    outcome.attempts -= 1  # the refresh retry is free
                    self._logger.info("aep token refused, refreshing it once")
                    self._tokens.refresh()
                    continue
            except CredentialsUnavailable as missing:
                outcome.failure = f"CREDENTIALS_UNAVAILABLE:{missing.reason}"
                break
            except http.TransportError as error:
                if error.sent:
                    _all_unknown(outcome, indexes, f"ANSWER_LOST:{error}")
                    return outcome
                self._logger.warning(
                    "aep inlet unreachable, request not sent",
                    extra={"reason": str(error), "attempt": outcome.attempts},
                )
                answer = None
            if answer is None or answer.status in NOT_PROCESSED:
                if answer is not None:
                    self._logger.warning(
                        "aep inlet busy, backing off",
                        extra={"status": answer.status, "attempt": outcome.attempts},
                    )
            elif answer.status in ACCEPTED_STATUSES:
                pending = {i: pending[i] for i in _sort(indexes, answer, outcome)}
                if not pending:
                    break
            elif answer.status >= 500:
                _all_unknown(outcome, indexes, f"HTTP_{answer.status}", answer.status)
                return outcome
            else:
                outcome.too_large = answer.status == 413
                outcome.failure = "AEP_UNAUTHORIZED" if answer.status == 401 else None
                if answer.status not in (401, 413):
                    detail = _detail(answer)
                    self._logger.error(
                        "aep refused the request",
                        extra={"status": answer.status, "detail": detail},
                    )
                    outcome.failure = f"AEP_REFUSED_{answer.status}"
                break
            if not self._backoff.before_retry(outcome.attempts, deadline, answer):
                break
        outcome.unresolved = sorted(pending)
        if outcome.unresolved and not (outcome.failure or outcome.too_large):
            outcome.failure = "AEP_UNAVAILABLE"
        return outcome

    def _post_once(self, envelopes: list[dict]) -> http.Response:
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self._tokens.token()}",
            "x-gw-ims-org-id": self._aep.ims_org_id,
            "x-sandbox-name": self._aep.sandbox_name,
        }
        if self._tokens.api_key:
            headers["x-api-key"] = self._tokens.api_key
        if self._aep.flow_id:
            headers["x-adobe-flow-id"] = self._aep.flow_id
        body = json.dumps({"messages": envelopes}, separators=(",", ":")).encode()
        return self._post(self._aep.inlet_url, body, headers, self._config.http_timeout_seconds)


def _all_unknown(outcome: BatchOutcome, indexes: list[int], reason: str, status=None) -> None:
    outcome.unknown.update({i: Rejection(status, reason) for i in indexes})


def _sort(indexes: list[int], answer: http.Response, outcome: BatchOutcome) -> list[int]:
    """Per-message results of a 200/207 (`responses`, one entry per message, in
    order; an entry with an error status failed); the indexes to retry."""
    try:
        responses = json.loads(answer.body or b"{}").get("responses")
    except (ValueError, AttributeError):
        responses = None
    if not isinstance(responses, list) or len(responses) != len(indexes):
        if answer.status == 207:
            # Mixed results we cannot match to messages: some were stored.
            _all_unknown(outcome, indexes, "UNMATCHED_207", 207)
        else:
            outcome.accepted.extend(indexes)
        return []
    retry = []
    for index, entry in zip(indexes, responses, strict=True):
        status = _entry_status(entry)
        if status is None or status < 400:
            outcome.accepted.append(index)
        elif status in RETRYABLE_MESSAGE:
            retry.append(index)
        else:
            message = entry.get("message") if isinstance(entry, dict) else None
            outcome.rejected[index] = Rejection(status, str(message or "rejected by AEP")[:1000])
    return retry


def _entry_status(entry) -> int | None:
    if not isinstance(entry, dict):
        return None
    for key in ("status", "statusCode"):
        value = entry.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.isdigit():
            return int(value)
    return None


def _detail(answer: http.Response) -> str:
    try:
        data = json.loads(answer.body)
    except ValueError:
        return safe_text(answer.body.decode("utf-8", "replace"))
    if isinstance(data, dict):
        for key in ("message", "title", "detail", "error"):
            if isinstance(data.get(key), str):
                return safe_text(data[key])
    return safe_text(json.dumps(data))
