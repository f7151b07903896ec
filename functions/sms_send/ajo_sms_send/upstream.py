"""Failures below the HTTP status line (transport, credentials) -> the contract's errors.

Shared by both SMS APIs and the idempotency store. Upstream text goes through clean()
before it reaches a response or a log: quoted values are redacted (an SMS API
ValidationException quotes the message body: `Value '<text>' at 'messageBody' failed...`),
numbers masked, length bounded.

Transport failures split on one question: could the request have been written?
- before it was written (refused, DNS, connect timeout): nothing was taken; retry-safe;
- after (reset, FIN, half an answer, read timeout, TLS failing mid-exchange): the service
  may have acted on it; the outcome is unknown (ApiError.outcome_unknown).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ajo_runtime.aws import GATEWAY_STATUSES, may_have_been_written
from ajo_runtime.masking import mask_numbers_in_text
from botocore.exceptions import (
    ClientError,
    HTTPClientError,
    ParamValidationError,
    ReadTimeoutError,
    SSLError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError

from .errors import (
    INVALID_FIELD,
    UPSTREAM_ERROR,
    UPSTREAM_UNAVAILABLE,
    ApiError,
)

MAX_UPSTREAM_TEXT = 300
# Greedy, first quote to last: a quoted value is redacted whole even when it contains
# quotes itself (an apostrophe in the text, or "' at '").
_QUOTED = (re.compile(r"'.*'", re.DOTALL), re.compile(r'".*"', re.DOTALL))
REDACTED = "[redacted]"


def clean(text: object) -> str:
    """Upstream text made safe to show: quoted values redacted, numbers masked, bounded."""
    shown = str(text or "")
    for quoted in _QUOTED:
        shown = quoted.sub(REDACTED, shown)
    return mask_numbers_in_text(shown)[:MAX_UPSTREAM_TEXT]


def outcome_unknown(what: str, why: str) -> ApiError:
    """The request may have been taken but its answer was lost or unusable: never retried
    here; the caller (app) applies UNKNOWN_OUTCOME."""
    return ApiError(
        503,
        UPSTREAM_UNAVAILABLE,
        f"{what} may have taken the request but {why}; retry later",
        retry_after=1,
        outcome_unknown=True,
    )


def transport_error(exc: Exception, what: str) -> ApiError:
    """`what` names the dependency ("the SMS API", "the idempotency table").

    exc: a BotoCoreError, or anything else botocore raised while reading an answer (the
    senders pass those too: the request may have been written)."""
    if may_have_been_written(exc):
        if isinstance(exc, ReadTimeoutError):
            return outcome_unknown(what, "did not answer in time")
        if isinstance(exc, (HTTPClientError, SSLError)):
            return outcome_unknown(what, "the connection failed before its answer was read")
        return outcome_unknown(what, f"its answer could not be read ({type(exc).__name__})")
    if isinstance(exc, BotoConnectionError):
        # Refused, DNS, connect timeout, proxy: raised before the request was written.
        return ApiError(
            503,
            UPSTREAM_UNAVAILABLE,
            f"{what} could not be reached; retry later",
            retry_after=1,
            retry_safe=True,
        )
    if isinstance(exc, ParamValidationError):
        # validation.py should have caught it; still the request's fault, not a 5xx. Its
        # text quotes the value (the message body, maybe) unquoted: not shown.
        return ApiError(400, INVALID_FIELD, f"{what} refused a parameter of the request")
    # Credentials, region, endpoint: botocore stopped before sending anything.
    return ApiError(502, UPSTREAM_ERROR, f"{what} call failed: {type(exc).__name__}")


def call_send(
    operation: Callable[..., dict[str, Any]],
    params: dict[str, Any],
    map_error: Callable[[dict[str, Any]], ApiError],
    id_member: str,
    what: str,
) -> str:
    """One send call -> its message ID. A service error goes through map_error(response);
    anything else botocore raised (transport, an answer it could not read) is a transport
    failure. A 200 without the ID took the request, but the contract's messageId cannot
    be given (half an answer parses as a 200 without members): an unknown outcome."""
    try:
        answer = operation(**params)
    except ClientError as exc:
        raise map_error(exc.response) from None
    except Exception as exc:
        raise transport_error(exc, what) from None
    message_id = answer.get(id_member)
    if not message_id:
        raise outcome_unknown(what, f"its 200 answer has no {id_member}")
    return message_id


def service_error(code: str, message: str, status: int, what: str) -> ApiError:
    """A service error the caller cannot fix: the function's setup or the service itself."""
    if status in GATEWAY_STATUSES:
        return outcome_unknown(what, f"a gateway answered {status} ({code})")
    if status == 503:
        return ApiError(
            503,
            UPSTREAM_UNAVAILABLE,
            f"{what} is unavailable ({code}); retry later",
            retry_after=1,
            retry_safe=True,
        )
    # A server-side failure (500) answered by the service: nothing was accepted, retry is safe.
    # Anything else (credentials, permissions, a missing resource of the deployment) will
    # not be fixed by retrying, but is not the caller's fault either: 502 for the operator.
    return ApiError(
        502,
        UPSTREAM_ERROR,
        f"{what} failed: {code}: {clean(message)}".rstrip(": "),
        retry_safe=status >= 500,
    )
