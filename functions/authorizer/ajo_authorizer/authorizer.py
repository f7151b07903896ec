"""The decision: a TOKEN authorizer event in, an Allow policy out, or an error.

Two kinds of error, because AJO treats them differently (it retries every
status except 401, 403 and 404):
- `Exception("Unauthorized")`: the key is missing or wrong. API Gateway
  answers 401, and AJO gives up: retrying cannot make a wrong key right.
- `Unavailable`: the key cannot be checked now (key store unreachable,
  throttled, failing; the function misconfigured). Any exception but
  "Unauthorized" makes API Gateway answer a 5xx (AUTHORIZER_FAILURE /
  AUTHORIZER_CONFIGURATION_ERROR, mapped to 503 RETRY by modules/api), which
  AJO retries, so an outage delays a message instead of losing it.
"""

from __future__ import annotations

import hmac
import logging

from . import policy
from .keys import KeyStore, KeysUnavailable

# API Gateway answers 401 when the authorizer fails with exactly this message.
UNAUTHORIZED = "Unauthorized"


class Unavailable(Exception):
    """The key cannot be checked now; API Gateway answers 5xx, AJO retries.

    Its message goes to the function's error log and API Gateway's execution
    log: always this fixed text, never a key or the token."""

    def __init__(self):
        super().__init__("api key check unavailable")


def unauthorized() -> Exception:
    return Exception(UNAUTHORIZED)


class Authorizer:
    def __init__(self, store: KeyStore, logger: logging.Logger):
        self._store = store
        self._log = logger

    def __call__(self, event: dict, request_id: str | None = None) -> dict:
        if not isinstance(event, dict):
            self._deny("malformed_event", request_id)
        token = event.get("authorizationToken")
        if not isinstance(token, str) or not token:
            self._deny("missing_key", request_id)
        try:
            # Checked before the key, so a bad event never costs a key lookup.
            resource = policy.stage_resource(event.get("methodArn"))
        except policy.BadMethodArn:
            self._log.error("unusable methodArn, denying", extra={"aws_request_id": request_id})
            raise unauthorized() from None
        try:
            candidates = self._store.accepted()
        except KeysUnavailable as failure:
            # Fail closed, but as a retryable 5xx: the key may well be right.
            self._log.error(
                "api keys unavailable, answering 5xx",
                extra={
                    "reason": failure.reason,
                    "errorCode": failure.error_code,
                    "aws_request_id": request_id,
                },
            )
            raise Unavailable() from None
        presented = token.encode("utf-8", "surrogatepass")
        matched = None
        # compare_digest against every candidate, without stopping at a match,
        # so timing says neither whether nor which key matched.
        for label, key in candidates:
            if hmac.compare_digest(presented, key) and matched is None:
                matched = label
        if matched is None:
            self._deny("invalid_key", request_id)
        return policy.allow(resource, matched)

    def _deny(self, reason: str, request_id: str | None):
        # The reason only: never the token, not even its length or a prefix.
        self._log.info("request denied", extra={"reason": reason, "aws_request_id": request_id})
        raise unauthorized()
