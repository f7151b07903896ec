"""Amazon Pinpoint v1 (legacy, SMS_API=v1): SendMessages to one address.

Pinpoint answers 200 with a per-address result (DeliveryStatus + StatusCode); those are
mapped exactly like v2's errors: OPT_OUT -> 409, THROTTLED -> 429, PERMANENT_FAILURE /
DUPLICATE -> 400, TEMPORARY_FAILURE -> 502 (retry-safe), UNKNOWN_FAILURE -> 502.

v1 has no configuration sets (events come from the application's settings), no dry run and
no pools: a configurationSetName is ignored, dryRun is refused, and the origination
identity must be a phone number / short code (OriginationNumber) or a sender ID (SenderId).
"""

from __future__ import annotations

import re
from typing import Any

from ajo_runtime.aws import service_error_of
from botocore.exceptions import ClientError

from .errors import (
    DESTINATION_OPTED_OUT,
    INVALID_FIELD,
    MESSAGE_TOO_LONG,
    UPSTREAM_ERROR,
    UPSTREAM_REJECTED,
    ApiError,
    bad_request,
    throttled,
)
from .request import SmsRequest
from .upstream import clean, outcome_unknown, service_error, transport_error

WHAT = "Amazon Pinpoint"
_PHONE_OR_SHORT_CODE = re.compile(r"\+?[0-9]{3,15}")
_SENDER_ID = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9-]{1,11}")


def origination_parameter(identity: str) -> tuple[str, str] | None:
    """("OriginationNumber" | "SenderId", value), or None if v1 cannot express it."""
    if _PHONE_OR_SHORT_CODE.fullmatch(identity):
        return "OriginationNumber", identity
    if _SENDER_ID.fullmatch(identity):
        return "SenderId", identity
    return None


class SmsV1Sender:
    api = "v1"

    def __init__(self, client: Any, application_id: str):
        self._send_messages = client.send_messages
        self._application_id = application_id

    def send(self, request: SmsRequest) -> str:
        if request.dry_run:
            raise bad_request(
                INVALID_FIELD,
                "dryRun needs SMS_API=v2: Pinpoint v1 SendMessages has no dry run",
                "dryRun",
            )
        sms: dict[str, Any] = {"Body": request.message, "MessageType": request.message_type}
        if request.origination_identity:
            parameter = origination_parameter(request.origination_identity)
            if parameter is None:
                raise bad_request(
                    INVALID_FIELD,
                    "with SMS_API=v1 the origination identity must be a phone number, "
                    "short code or sender ID (pools and ARNs need v2)",
                    "originationIdentity",
                )
            sms[parameter[0]] = parameter[1]
        message_request: dict[str, Any] = {
            "Addresses": {request.destination: {"ChannelType": "SMS"}},
            "MessageConfiguration": {"SMSMessage": sms},
        }
        if request.context:
            message_request["Context"] = request.context
        try:
            answer = self._send_messages(
                ApplicationId=self._application_id, MessageRequest=message_request
            )
        except ClientError as exc:
            raise map_client_error(exc.response) from None
        except Exception as exc:  # transport, or an answer botocore could not read
            raise transport_error(exc, WHAT) from None
        results = (answer.get("MessageResponse") or {}).get("Result") or {}
        result = results.get(request.destination)
        if result is None and len(results) == 1:
            result = next(iter(results.values()))
        if result is None:
            # A 200 took the request without saying what became of the address.
            raise outcome_unknown(WHAT, "its 200 answer has no result for the address")
        error = result_error(result)
        if error is not None:
            raise error
        message_id = result.get("MessageId")
        if not message_id:
            raise outcome_unknown(WHAT, "its SUCCESSFUL result has no MessageId")
        return message_id


def result_error(result: dict[str, Any]) -> ApiError | None:
    """None for a SUCCESSFUL per-address result, else the contract's error for it."""
    status = result.get("DeliveryStatus") or "UNKNOWN_FAILURE"
    if status == "SUCCESSFUL":
        return None
    detail = f"{status} ({result.get('StatusCode')}): {clean(result.get('StatusMessage'))}"
    if status == "OPT_OUT":
        return ApiError(
            409,
            DESTINATION_OPTED_OUT,
            "the recipient has opted out of SMS from this sender",
            "destinationNumber",
        )
    if status == "THROTTLED":
        return throttled(f"Amazon Pinpoint is throttling sends; retry later ({detail})")
    if status in ("PERMANENT_FAILURE", "DUPLICATE"):
        return ApiError(400, UPSTREAM_REJECTED, f"Amazon Pinpoint refused: {detail}")
    # TEMPORARY_FAILURE: Pinpoint says nothing was sent and a retry may work.
    return ApiError(
        502,
        UPSTREAM_ERROR,
        f"Amazon Pinpoint failed: {detail}",
        retry_safe=status == "TEMPORARY_FAILURE",
    )


def map_client_error(response: dict[str, Any]) -> ApiError:
    code, message, status = service_error_of(response)
    if code == "TooManyRequestsException" or status == 429:
        return throttled(f"Amazon Pinpoint is throttling sends; retry later ({clean(message)})")
    if code == "BadRequestException":
        return ApiError(400, UPSTREAM_REJECTED, f"Amazon Pinpoint refused: {clean(message)}")
    if code == "PayloadTooLargeException":
        return ApiError(400, MESSAGE_TOO_LONG, "Amazon Pinpoint refused the message as too large")
    # NotFound (application ID), Forbidden (IAM), 5xx: the deployment's or AWS's problem.
    return service_error(code, message, status, WHAT)
