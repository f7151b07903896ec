"""The contract's error codes and the exception that carries one to the response."""

from __future__ import annotations

# Caller errors (400): retrying the same request cannot help.
INVALID_JSON = "INVALID_JSON"
MISSING_FIELD = "MISSING_FIELD"
INVALID_FIELD = "INVALID_FIELD"
INVALID_PHONE_NUMBER = "INVALID_PHONE_NUMBER"
MESSAGE_TOO_LONG = "MESSAGE_TOO_LONG"
CONFLICTING_FIELDS = "CONFLICTING_FIELDS"
# `channel` names one this deployment did not enable (CHANNELS), or any but SMS with v1.
CHANNEL_NOT_ENABLED = "CHANNEL_NOT_ENABLED"
# MMS `mediaUrls` not one s3:// URI of MEDIA_BUCKET with a media type AWS sends, or a
# medium the SMS API refused (type, size, not readable).
INVALID_MEDIA_URL = "INVALID_MEDIA_URL"
# Same idempotencyKey, different payload: a journey reusing keys across messages.
IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
# The SMS API refused the request for a reason the caller can fix (its Reason is in the message).
UPSTREAM_REJECTED = "UPSTREAM_REJECTED"
# 409
DESTINATION_OPTED_OUT = "DESTINATION_OPTED_OUT"
# Queued delivery only (an outcome event, never an HTTP answer): an SMS quota such as the
# monthly spend limit refused the send; it is recorded, not retried.
QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
# 429 / 502 / 503: retry later.
THROTTLED = "THROTTLED"
UPSTREAM_ERROR = "UPSTREAM_ERROR"
UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"
# 502, body status UNKNOWN: the SMS API took the request but its answer was lost (reset,
# FIN, half an answer, read timeout, a 200 without MessageId), and UNKNOWN_OUTCOME is
# at_most_once: the SMS may have been sent, and a retry with the same key sends nothing.
SEND_OUTCOME_UNKNOWN = "SEND_OUTCOME_UNKNOWN"
# 500: a bug in this function, never caused by what the caller sent.
INTERNAL_ERROR = "INTERNAL_ERROR"

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ApiError(Exception):
    """An outcome that is not a send: becomes the contract's error response.

    retry_safe marks failures where the SMS API certainly did not accept the message
    (throttled, connection refused, server said it failed), so the function may try
    again itself. outcome_unknown marks failures after the request may have been taken
    (the answer was lost or unusable): never retried in-function, and the idempotency
    record keeps them as UNKNOWN instead of freeing the key.
    """

    __slots__ = (
        "attempts",
        "code",
        "field",
        "message",
        "outcome_unknown",
        "retry_after",
        "retry_safe",
        "status",
    )

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        retry_after: int | None = None,
        retry_safe: bool = False,
        outcome_unknown: bool = False,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retry_after = retry_after
        self.retry_safe = retry_safe
        self.outcome_unknown = outcome_unknown
        self.attempts = 1  # SMS API calls made before giving up (for the log line)

    @property
    def outcome(self) -> str:
        """The body's `status`: RETRY when the caller should try again later, UNKNOWN when
        the SMS may have been sent and will not be sent again."""
        if self.code == SEND_OUTCOME_UNKNOWN:
            return "UNKNOWN"
        return "RETRY" if self.status in _RETRY_STATUSES else "REJECTED"

    def body(self) -> dict:
        return {
            "status": self.outcome,
            "error": {"code": self.code, "message": self.message, "field": self.field},
        }


def bad_request(code: str, message: str, field: str | None = None) -> ApiError:
    return ApiError(400, code, message, field)


def throttled(message: str, retry_after: int = 1, field: str | None = None) -> ApiError:
    return ApiError(429, THROTTLED, message, field, retry_after=retry_after, retry_safe=True)


def send_outcome_unknown() -> ApiError:
    """What at_most_once answers while an SMS's outcome is unknown (first call and copies)."""
    return ApiError(
        502,
        SEND_OUTCOME_UNKNOWN,
        "the SMS API's answer to this request was lost or unreadable: the SMS may have been "
        "sent; a retry with the same idempotencyKey does not send it again "
        "(UNKNOWN_OUTCOME=at_most_once)",
        outcome_unknown=True,
    )
