"""End User Messaging SMS v2: SendTextMessage, and its errors mapped to the contract.

Error shapes (botocore's pinpoint-sms-voice-v2 service model): ConflictException.Reason
(DESTINATION_PHONE_NUMBER_OPTED_OUT ...), ValidationException.Reason + Fields,
ServiceQuotaExceededException.Reason, ResourceNotFoundException.ResourceType,
AccessDeniedException.Reason, ThrottlingException, InternalServerException.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .errors import (
    DESTINATION_OPTED_OUT,
    INVALID_PHONE_NUMBER,
    MESSAGE_TOO_LONG,
    THROTTLED,
    UPSTREAM_REJECTED,
    ApiError,
    throttled,
)
from .upstream import clean, service_error, transport_error
from .validation import SmsRequest

WHAT = "the SMS API"
# SendTextMessage parameter -> the contract field a caller would fix.
_FIELDS = {
    "DestinationPhoneNumber": "destinationNumber",
    "MessageBody": "message",
    "OriginationIdentity": "originationIdentity",
    "MessageType": "messageType",
    "ConfigurationSetName": "configurationSetName",
    "Context": "context",
}
# ResourceNotFoundException.ResourceType -> the field naming that resource.
_RESOURCE_FIELDS = {
    "configuration-set": "configurationSetName",
    "pool": "originationIdentity",
    "phone-number": "originationIdentity",
    "sender-id": "originationIdentity",
}
# Spend and daily limits do not lift in seconds; tell AJO to come back much later.
QUOTA_RETRY_AFTER = 60


class SmsV2Sender:
    api = "v2"

    def __init__(self, client: Any):
        self._send_text_message = client.send_text_message

    def send(self, request: SmsRequest) -> str:
        params: dict[str, Any] = {
            "DestinationPhoneNumber": request.destination,
            "MessageBody": request.message,
            "MessageType": request.message_type,
        }
        if request.origination_identity:
            params["OriginationIdentity"] = request.origination_identity
        if request.configuration_set_name:
            params["ConfigurationSetName"] = request.configuration_set_name
        if request.context:
            params["Context"] = request.context
        if request.time_to_live is not None:
            params["TimeToLive"] = request.time_to_live
        if request.dry_run:
            params["DryRun"] = True
        try:
            answer = self._send_text_message(**params)
        except ClientError as exc:
            raise map_client_error(exc.response, request) from None
        except BotoCoreError as exc:
            raise transport_error(exc, WHAT) from None
        return answer.get("MessageId") or ""


def map_client_error(response: dict[str, Any], request: SmsRequest) -> ApiError:
    error = response.get("Error") or {}
    code = error.get("Code") or "Unknown"
    message = error.get("Message") or ""
    reason = response.get("Reason") or ""
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0
    detail = f"{code} {reason}: {clean(message)}" if reason else f"{code}: {clean(message)}"

    if code == "ThrottlingException":
        return throttled(f"the SMS API is throttling sends; retry later ({detail})")
    if code == "ServiceQuotaExceededException":
        # A quota, not a rate: no point retrying inside this invocation.
        return ApiError(
            429,
            THROTTLED,
            f"an SMS quota is exhausted; retry later ({detail})",
            retry_after=QUOTA_RETRY_AFTER,
        )
    if code == "ConflictException" and reason == "DESTINATION_PHONE_NUMBER_OPTED_OUT":
        return ApiError(
            409,
            DESTINATION_OPTED_OUT,
            "the recipient has opted out of SMS from this sender",
            "destinationNumber",
        )
    if code == "ConflictException":
        return ApiError(400, UPSTREAM_REJECTED, f"the SMS API refused the message: {detail}")
    if code == "ValidationException":
        field = _validation_field(response)
        upstream_code = UPSTREAM_REJECTED
        if field == "destinationNumber":
            upstream_code = INVALID_PHONE_NUMBER
        elif field == "message" and reason == "MAXIMUM_SIZE_EXCEEDED":
            upstream_code = MESSAGE_TOO_LONG
        return ApiError(400, upstream_code, f"the SMS API refused the message: {detail}", field)
    if code == "ResourceNotFoundException":
        field = _RESOURCE_FIELDS.get(response.get("ResourceType") or "")
        if field and _caller_chose(field, request):
            return ApiError(400, UPSTREAM_REJECTED, f"{field} was not found: {detail}", field)
        # A default of the deployment is missing: the operator's problem, not the caller's.
    return service_error(code, f"{reason} {message}".strip(), status, WHAT)


def _validation_field(response: dict[str, Any]) -> str | None:
    for item in response.get("Fields") or ():
        name = str((item or {}).get("Name") or "")
        for parameter, field in _FIELDS.items():
            if name.startswith(parameter):
                return field
    return None


def _caller_chose(field: str, request: SmsRequest) -> bool:
    if field == "configurationSetName":
        return request.caller_configuration_set is not None
    return request.caller_origination is not None
