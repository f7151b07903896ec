"""The decision: a TOKEN authorizer event in, an Allow policy out, or Unauthorized."""

from __future__ import annotations

import hmac
import logging

from . import policy
from .keys import KeyStore, KeysUnavailable

# API Gateway answers 401 when the authorizer fails with exactly this message.
UNAUTHORIZED = "Unauthorized"


def unauthorized() -> Exception:
    return Exception(UNAUTHORIZED)


class Authorizer:
    def __init__(self, store: KeyStore, logger: logging.Logger):
        self._store = store
        self._log = logger

    def __call__(self, event: dict, request_id: str | None = None) -> dict:
        token = event.get("authorizationToken") if isinstance(event, dict) else None
        if not isinstance(token, str) or not token:
            self._deny("missing_key", request_id)
        try:
            candidates = self._store.accepted()
        except KeysUnavailable as failure:
            # Fail closed: no key can be checked, so none is accepted.
            self._log.error(
                "api keys unavailable, denying",
                extra={
                    "reason": failure.reason,
                    "errorCode": failure.error_code,
                    "aws_request_id": request_id,
                },
            )
            raise unauthorized() from None
        presented = token.encode("utf-8", "surrogatepass")
        matched = None
        # compare_digest against every candidate, without stopping at a match,
        # so timing says neither whether nor which key matched.
        for label, key in candidates:
            if hmac.compare_digest(presented, key) and matched is None:
                matched = label
        if matched is None:
            self._deny("invalid_key", request_id)
        try:
            return policy.allow(event.get("methodArn", ""), matched)
        except policy.BadMethodArn:
            self._log.error("unusable methodArn, denying", extra={"aws_request_id": request_id})
            raise unauthorized() from None

    def _deny(self, reason: str, request_id: str | None):
        # The reason only: never the token, not even its length or a prefix.
        self._log.info("request denied", extra={"reason": reason, "aws_request_id": request_id})
        raise unauthorized()
