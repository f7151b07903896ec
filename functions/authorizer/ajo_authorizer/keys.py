"""The accepted API keys: read from a Secrets Manager secret, kept in memory.

Both the `AWSCURRENT` and the `AWSPREVIOUS` version are accepted, so after a
rotation AJO keeps working with the old key until someone pastes the new one;
`accept_previous=False` accepts `AWSCURRENT` only (revoking the previous key).
Keys are cached for `ttl_seconds`, so a rotation takes effect within that time
while the hot path never calls Secrets Manager. A cached key keeps working
through a Secrets Manager outage until its TTL ends, never after: a revoked
key must not outlive the TTL because the store cannot be read.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ajo_runtime import aws
from botocore.exceptions import BotoCoreError, ClientError

# Version stages accepted, with the non-secret label reported for each.
STAGES = (("current", "AWSCURRENT"), ("previous", "AWSPREVIOUS"))
# After a failed refresh, requests fail closed without calling Secrets Manager
# again for this long, so an outage is not amplified into a call per request.
RETRY_AFTER_FAILURE_SECONDS = 1.0

Keys = tuple[tuple[str, bytes], ...]


class KeysUnavailable(Exception):
    """The keys could not be loaded; the caller must not allow (fail closed)."""

    def __init__(self, reason: str, error_code: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.error_code = error_code


class KeyStore:
    def __init__(
        self,
        client,
        secret_id: str,
        ttl_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        accept_previous: bool = True,
    ):
        self._client = client
        self._stages = STAGES if accept_previous else STAGES[:1]
        self._secret_id = secret_id
        self._ttl = ttl_seconds
        self._clock = clock
        self._keys: Keys = ()
        self._expires_at = float("-inf")
        self._retry_at = float("-inf")
        self._last_failure: KeysUnavailable | None = None

    def accepted(self) -> Keys:
        """The accepted keys as (label, key bytes); raises KeysUnavailable."""
        if self._clock() < self._expires_at:  # hot path: one clock read, no I/O
            return self._keys
        return self._refresh()

    def _refresh(self) -> Keys:
        now = self._clock()
        if now < self._retry_at and self._last_failure is not None:
            raise self._last_failure
        self._keys, self._expires_at = (), float("-inf")
        try:
            keys = self._fetch()
        except KeysUnavailable as failure:
            self._last_failure = failure
            self._retry_at = now + RETRY_AFTER_FAILURE_SECONDS
            raise
        self._keys, self._last_failure = keys, None
        self._expires_at = now + self._ttl
        return keys

    def _fetch(self) -> Keys:
        keys: list[tuple[str, bytes]] = []
        for label, stage in self._stages:
            value = self._read_stage(stage)
            if value is None:
                if stage == "AWSCURRENT":
                    raise KeysUnavailable("secret has no AWSCURRENT value")
                continue  # no AWSPREVIOUS before the first rotation
            key = value.strip().encode("utf-8")
            if not key:
                if stage == "AWSCURRENT":
                    raise KeysUnavailable("AWSCURRENT value is empty")
                continue
            if all(key != known for _, known in keys):
                keys.append((label, key))
        return tuple(keys)

    def _read_stage(self, stage: str) -> str | None:
        try:
            response = self._client.get_secret_value(SecretId=self._secret_id, VersionStage=stage)
        except (BotoCoreError, ClientError) as error:  # also unreachable, timeout, credentials
            code = aws.reason(error)
            if code == "ResourceNotFoundException" and stage != "AWSCURRENT":
                return None
            raise KeysUnavailable(f"GetSecretValue {stage} failed", code) from None
        value = response.get("SecretString")
        if value is None:
            raise KeysUnavailable(f"{stage} holds a binary secret, expected a string")
        return value
