"""End User Messaging SMS v2: SendTextMessage (SMS), SendMediaMessage (MMS) and
SendVoiceMessage (VOICE), and their errors mapped to the contract.

The three operations share their parameters but the body's (destination, origination,
configuration set, Context, TimeToLive, DryRun), their answer (MessageId) and their errors
(the same seven exceptions in botocore's model): one sender builds the shared part, adds
the channel's own members and maps every failure the same way.

Error shapes (botocore's pinpoint-sms-voice-v2 service model): ConflictException.Reason
(DESTINATION_PHONE_NUMBER_OPTED_OUT ...), ValidationException.Reason + Fields,
ServiceQuotaExceededException.Reason, ResourceNotFoundException.ResourceType,
AccessDeniedException.Reason, ThrottlingException, InternalServerException.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from ajo_runtime.aws import service_error_of

from .channels import MEDIA_SIZE_LIMITS, MMS, SMS, VOICE
from .errors import (
    DESTINATION_OPTED_OUT,
    INVALID_MEDIA_URL,
    INVALID_PHONE_NUMBER,
    MESSAGE_TOO_LONG,
    THROTTLED,
    UPSTREAM_REJECTED,
    ApiError,
    throttled,
)
from .request import SmsRequest
from .upstream import call_send, clean, service_error

WHAT = "the SMS API"
# Send*Message parameter (lower case: the service names fields either way) -> the contract
# field a caller would fix.
_FIELDS = {
    "destinationphonenumber": "destinationNumber",
    "messagebodytexttype": "messageBodyTextType",  # before messagebody: a longer prefix
    "messagebody": "message",
    "originationidentity": "originationIdentity",
    "messagetype": "messageType",
    "configurationsetname": "configurationSetName",
    "context": "context",
    "mediaurls": "mediaUrls",
    "voiceid": "voiceId",
}
# ValidationException reasons that are about the MMS's medium whatever Fields say.
_MEDIA_REASONS = frozenset({"MEDIA_TYPE_NOT_SUPPORTED", "ATTACHMENT_TYPE_NOT_SUPPORTED"})
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
    """One sender for the three channels: send(request) calls request.channel's operation."""

    api = "v2"

    def __init__(self, client: Any):
        self._operations = {
            SMS: client.send_text_message,
            MMS: client.send_media_message,
            VOICE: client.send_voice_message,
        }

    def send(self, request: SmsRequest) -> str:
        params = _shared_parameters(request)
        if request.channel == SMS:
            params["MessageBody"] = request.message
            params["MessageType"] = request.message_type
        elif request.channel == MMS:
            if request.message:
                params["MessageBody"] = request.message
            if request.media_urls:
                params["MediaUrls"] = list(request.media_urls)
        else:
            params["MessageBody"] = request.message
            params["MessageBodyTextType"] = request.message_body_text_type or "TEXT"
            if request.voice_id:
                params["VoiceId"] = request.voice_id
        mapper = partial(map_client_error, request=request)
        return call_send(self._operations[request.channel], params, mapper, "MessageId", WHAT)


def _shared_parameters(request: SmsRequest) -> dict[str, Any]:
    """The members SendTextMessage, SendMediaMessage and SendVoiceMessage have in common."""
    params: dict[str, Any] = {"DestinationPhoneNumber": request.destination}
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
    return params


def map_client_error(response: dict[str, Any], request: SmsRequest) -> ApiError:
    code, message, status = service_error_of(response)
    reason = response.get("Reason") or ""
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
            "the recipient has opted out of messages from this sender",
            "destinationNumber",
        )
    if code == "ConflictException":
        return ApiError(400, UPSTREAM_REJECTED, f"the SMS API refused the message: {detail}")
    if code == "ValidationException":
        field = _validation_field(response)
        if reason in _MEDIA_REASONS or field == "mediaUrls":
            return ApiError(
                400,
                INVALID_MEDIA_URL,
                f"the SMS API refused the MMS's medium ({MEDIA_SIZE_LIMITS}, an existing "
                f"object of the deployment's bucket): {detail}",
                "mediaUrls",
            )
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
        name = str((item or {}).get("Name") or "").lower()
        for parameter, field in _FIELDS.items():
            if name.startswith(parameter):
                return field
    return None


def _caller_chose(field: str, request: SmsRequest) -> bool:
    if field == "configurationSetName":
        return request.caller_configuration_set is not None
    return request.caller_origination is not None
