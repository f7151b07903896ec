"""Post batches of messages to AEP's streaming inlet, with retries.

Outcome per message: accepted, rejected (AEP refused that message; retrying
cannot help) or unresolved (still failing when attempts or time ran out).
  401          -> refresh the token once, then give up on the batch;
  429, 5xx, no answer -> back off (Retry-After honoured) and retry;
  207 / 200 with per-message statuses -> retry only the failed-retryable ones;
  413          -> PayloadTooLarge (the caller splits the batch);
  other 4xx    -> BatchRefused (the request itself is wrong: configuration)."""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from . import http
from .config import Config
from .credentials import TokenProvider

RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})
ACCEPTED_STATUSES = frozenset({200, 201, 202, 207})


class PayloadTooLarge(Exception):
    pass


class BatchRefused(Exception):
    """AEP refused the whole request with a status retrying cannot fix."""

    def __init__(self, status: int, detail: str):
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail


class Unauthorized(Exception):
    """Still 401 after refreshing the token."""


@dataclass
class Rejection:
    status: int | None
    message: str


@dataclass
class BatchOutcome:
    accepted: list[int] = field(default_factory=list)
    rejected: dict[int, Rejection] = field(default_factory=dict)
    unresolved: list[int] = field(default_factory=list)
    attempts: int = 0


class Inlet:
    def __init__(
        self,
        config: Config,
        tokens: TokenProvider,
        logger: logging.Logger,
        post: Callable[..., http.Response] = http.post,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._config = config
        self._tokens = tokens
        self._logger = logger
        self._post = post
        self._sleep = sleep
        self._clock = clock

    def send(self, messages: dict[int, dict], deadline: float) -> BatchOutcome:
        """Post `messages` (index -> envelope) until each is accepted or
        rejected, or attempts/time run out (the rest are `unresolved`)."""
        outcome = BatchOutcome()
        pending = dict(messages)
        refreshed = False
        while pending:
            if outcome.attempts >= self._config.max_attempts or self._clock() >= deadline:
                break
            outcome.attempts += 1
            indexes = list(pending)
            try:
                answer = self._post_once([pending[i] for i in indexes])
            except http.TransportError as error:
                self._logger.warning(
                    "aep inlet unreachable",
                    extra={"reason": str(error), "attempt": outcome.attempts},
                )
                if not self._back_off(outcome.attempts, None, deadline):
                    break
                continue
            if answer.status == 401:
                if refreshed:
                    raise Unauthorized()
                refreshed = True
                outcome.attempts -= 1  # the refresh retry is free
                self._logger.info("aep token refused, refreshing it once")
                self._tokens.refresh()
                continue
            if answer.status == 413:
                raise PayloadTooLarge()
            if answer.status in ACCEPTED_STATUSES:
                retry = self._sort_messages(indexes, answer, outcome)
                pending = {i: pending[i] for i in retry}
                if pending and not self._back_off(outcome.attempts, answer, deadline):
                    break
                continue
            if answer.status in RETRYABLE or answer.status >= 500:
                self._logger.warning(
                    "aep inlet busy or failing, backing off",
                    extra={"status": answer.status, "attempt": outcome.attempts},
                )
                if not self._back_off(outcome.attempts, answer, deadline):
                    break
                continue
            raise BatchRefused(answer.status, _detail(answer))
        outcome.unresolved = sorted(pending)
        return outcome

    def _post_once(self, envelopes: list[dict]) -> http.Response:
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self._tokens.token()}",
            "x-gw-ims-org-id": self._config.ims_org_id,
            "x-sandbox-name": self._config.sandbox_name,
        }
        if self._tokens.api_key:
            headers["x-api-key"] = self._tokens.api_key
        if self._config.flow_id:
            headers["x-adobe-flow-id"] = self._config.flow_id
        body = json.dumps({"messages": envelopes}, separators=(",", ":")).encode()
        return self._post(self._config.inlet_url, body, headers, self._config.http_timeout_seconds)

    def _sort_messages(self, indexes: list[int], answer: http.Response, outcome: BatchOutcome):
        """Per-message results of a 200/207: `responses` lists one entry per
        message, in order; an entry with an error `status` failed."""
        try:
            responses = json.loads(answer.body or b"{}").get("responses")
        except (ValueError, AttributeError):
            responses = None
        if not isinstance(responses, list) or len(responses) != len(indexes):
            if answer.status == 207:
                # Mixed results we cannot attribute: retrying could duplicate
                # the accepted ones, accepting could lose the others. Treat the
                # whole batch as refused so it is kept and looked at.
                raise BatchRefused(207, "per-message results missing or misaligned")
            outcome.accepted.extend(indexes)
            return []
        retry = []
        for index, entry in zip(indexes, responses, strict=True):
            status = _entry_status(entry)
            if status is None or status < 400:
                outcome.accepted.append(index)
            elif status in RETRYABLE or status >= 500:
                retry.append(index)
            else:
                message = entry.get("message") if isinstance(entry, dict) else None
                outcome.rejected[index] = Rejection(status, str(message or "rejected by AEP"))
        return retry

    def _back_off(self, attempt: int, answer: http.Response | None, deadline: float) -> bool:
        """Sleep before the next attempt; False when that would pass the
        deadline or the attempts are used up (no pointless last sleep)."""
        if attempt >= self._config.max_attempts:
            return False
        delay = min(
            self._config.backoff_max_seconds,
            self._config.backoff_base_seconds * (2 ** (attempt - 1)),
        )
        delay *= 0.5 + random.random() / 2  # noqa: S311 - jitter, not crypto
        retry_after = _retry_after(answer)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self._config.backoff_max_seconds * 4))
        if self._clock() + delay >= deadline:
            return False
        self._sleep(delay)
        return True


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


def _retry_after(answer: http.Response | None) -> float | None:
    if answer is None:
        return None
    value = answer.header("retry-after")
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _detail(answer: http.Response) -> str:
    try:
        data = json.loads(answer.body)
    except ValueError:
        return answer.body[:200].decode("utf-8", "replace")
    if isinstance(data, dict):
        for key in ("message", "title", "detail", "error"):
            if isinstance(data.get(key), str):
                return data[key][:200]
    return json.dumps(data)[:200]
