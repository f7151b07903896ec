"""Failures below the HTTP status line (transport, credentials) -> the contract's errors.

Shared by both SMS APIs and the idempotency store. Upstream text is masked (it can quote
the destination number) and shortened before it reaches a response or a log.
"""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ConnectionClosedError,
    ParamValidationError,
    ReadTimeoutError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError

from .errors import (
    INVALID_FIELD,
    UPSTREAM_ERROR,
    UPSTREAM_UNAVAILABLE,
    ApiError,
)
from .phone import mask_numbers_in_text

MAX_UPSTREAM_TEXT = 300


def clean(text: object) -> str:
    """Upstream text made safe to show: numbers masked, length bounded."""
    return mask_numbers_in_text(str(text or ""))[:MAX_UPSTREAM_TEXT]


def transport_error(exc: BotoCoreError, what: str) -> ApiError:
    """`what` names the dependency ("the SMS API", "the idempotency table")."""
    if isinstance(exc, (BotoConnectionError, ConnectionClosedError)):
        # Connect failures never reached the service; a connection closed before any
        # answer is nearly always a stale keep-alive socket: safe to try again.
        return ApiError(
            503,
            UPSTREAM_UNAVAILABLE,
            f"{what} could not be reached; retry later",
            retry_after=1,
            retry_safe=True,
        )
    if isinstance(exc, ReadTimeoutError):
        # Ambiguous: the request may have been taken. Not retried inside the function.
        return ApiError(
            503,
            UPSTREAM_UNAVAILABLE,
            f"{what} did not answer in time; retry later",
            retry_after=1,
        )
    if isinstance(exc, ParamValidationError):
        # validation.py should have caught it; still the request's fault, not a 5xx.
        return ApiError(400, INVALID_FIELD, clean(exc))
    return ApiError(502, UPSTREAM_ERROR, f"{what} call failed: {type(exc).__name__}")


def service_error(code: str, message: str, status: int, what: str) -> ApiError:
    """A service error the caller cannot fix: the function's setup or the service itself."""
    if status == 503:
        return ApiError(
            503,
            UPSTREAM_UNAVAILABLE,
            f"{what} is unavailable ({code}); retry later",
            retry_after=1,
            retry_safe=True,
        )
    # A server-side failure (5xx) answered explicitly: nothing was accepted, retry is safe.
    # Anything else (credentials, permissions, a missing resource of the deployment) will
    # not be fixed by retrying, but is not the caller's fault either: 502 for the operator.
    return ApiError(
        502,
        UPSTREAM_ERROR,
        f"{what} failed: {code}: {clean(message)}".rstrip(": "),
        retry_safe=status >= 500,
    )
