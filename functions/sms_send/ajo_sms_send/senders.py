"""The senders, one per API, and what they share: upstream failures mapped to the
contract's errors, and the retry policy around a send.

Failures below the HTTP status line (transport, credentials) -> the contract's errors.

Shared by both SMS APIs and the idempotency store. Upstream text goes through clean()
before it reaches a response or a log: quoted values are redacted (an SMS API
ValidationException quotes the message body: `Value '<text>' at 'messageBody' failed...`),
numbers masked, length bounded.

Transport failures split on one question: could the request have been written?
- before it was written (refused, DNS, connect timeout): nothing was taken; retry-safe;
- after (reset, FIN, half an answer, read timeout, TLS failing mid-exchange): the service
  may have acted on it; the outcome is unknown (ApiError.outcome_unknown).

Bounded in-function retries with full jitter, inside AJO's time budget.

Only failures marked retry_safe (the SMS API surely did not take the message) are retried.
A new attempt starts only if it can finish, at its worst (connect + read timeout), within
both the function's send budget and the Lambda's remaining time; otherwise the error goes
back to AJO, which retries on its own.

End User Messaging SMS v2: SendTextMessage (SMS), SendMediaMessage (MMS) and
SendVoiceMessage (VOICE), and their errors mapped to the contract.

The three operations share their parameters but the body's (destination, origination,
configuration set, Context, TimeToLive, DryRun), their answer (MessageId) and their errors
(the same seven exceptions in botocore's model): one sender builds the shared part, adds
the channel's own members and maps every failure the same way.

Error shapes (botocore's pinpoint-sms-voice-v2 service model): ConflictException.Reason
(DESTINATION_PHONE_NUMBER_OPTED_OUT ...), ValidationException.Reason + Fields,
ServiceQuotaExceededException.Reason, ResourceNotFoundException.ResourceType,
AccessDeniedException.Reason, ThrottlingException, InternalServerException.

Amazon Pinpoint v1 (legacy, SMS_API=v1): SendMessages to one address.

Pinpoint answers 200 with a per-address result (DeliveryStatus + StatusCode); those are
mapped exactly like v2's errors: OPT_OUT -> 409, THROTTLED -> 429, PERMANENT_FAILURE /
DUPLICATE -> 400, TEMPORARY_FAILURE -> 502 (retry-safe), UNKNOWN_FAILURE -> 502.

v1 has no configuration sets (events come from the application's settings), no dry run and
no pools: a configurationSetName is ignored, dryRun is refused, and the origination
identity must be a phone number / short code (OriginationNumber) or a sender ID (SenderId).

End User Messaging Social: SendWhatsAppMessage (channel WHATSAPP), its errors mapped to
the contract the way SmsV2Sender maps the SMS API's.

Errors (botocore's socialmessaging model, REST-JSON, `message` their only member):
ValidationException and InvalidParametersException (400), AccessDeniedException (403),
ResourceNotFoundException (404), ThrottledRequestException (429), InternalServiceException
(500), DependencyException (502: Meta, behind AWS, failed; as for any 502 the send may
have happened). Whether Meta delivers (a template not approved, the 24 h window closed)
comes later, as an event on the WhatsApp Business Account's SNS topic.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from ajo_runtime.aws import GATEWAY_STATUSES, may_have_been_written, service_error_of
from ajo_runtime.masking import mask_numbers_in_text
from botocore.exceptions import (
    ClientError,
    HTTPClientError,
    ParamValidationError,
    ReadTimeoutError,
    SSLError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError

from .contract import (
    DESTINATION_OPTED_OUT,
    INVALID_FIELD,
    INVALID_MEDIA_URL,
    INVALID_PHONE_NUMBER,
    MEDIA_SIZE_LIMITS,
    MESSAGE_TOO_LONG,
    MMS,
    SMS,
    THROTTLED,
    UPSTREAM_ERROR,
    UPSTREAM_REJECTED,
    UPSTREAM_UNAVAILABLE,
    VOICE,
    WHATSAPP,
    ApiError,
    bad_request,
    throttled,
    whatsapp_message,
)
from .request import SmsRequest

# Upstream failures -------------------------------------------------------------------------------

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


# Retries -----------------------------------------------------------------------------------------

BASE_DELAY = 0.1  # seconds; full jitter over 0.1, 0.2, 0.4 ... capped at MAX_DELAY
MAX_DELAY = 1.0
LAMBDA_SAFETY_MARGIN = 0.5  # seconds kept to answer API Gateway and log


class Sender(Protocol):
    """What the send function and the dispatcher send through: `api` names the SMS API
    (v1 or v2) in logs; send() returns the message ID or raises ApiError."""

    api: str

    def send(self, request: SmsRequest) -> str: ...


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts a send may make, and within how long (module docstring)."""

    max_attempts: int
    budget: float  # seconds from the first attempt; no attempt starts that could overrun it
    attempt_worst_case: float  # one attempt at its longest: connect + read timeout
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random

    def send(
        self,
        send: Callable[[Any], str],
        request: Any,
        remaining_time: Callable[[], float] | None = None,
    ) -> tuple[str, int]:
        """(message ID, attempts made). remaining_time: seconds the Lambda has left, if known."""
        start = self.clock()
        attempt = 1
        while True:
            try:
                return send(request), attempt
            except ApiError as err:
                err.attempts = attempt
                if not err.retry_safe or attempt >= self.max_attempts:
                    raise
                delay = self.jitter() * min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1))
                needed = delay + self.attempt_worst_case
                if self.clock() - start + needed > self.budget:
                    raise
                if remaining_time is not None and remaining_time() - needed < LAMBDA_SAFETY_MARGIN:
                    raise
                self.sleep(delay)
                attempt += 1


# End User Messaging SMS v2 -----------------------------------------------------------------------

V2_WHAT = "the SMS API"
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
        mapper = partial(map_v2_error, request=request)
        return call_send(self._operations[request.channel], params, mapper, "MessageId", V2_WHAT)


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


def map_v2_error(response: dict[str, Any], request: SmsRequest) -> ApiError:
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
    return service_error(code, f"{reason} {message}".strip(), status, V2_WHAT)


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


# Amazon Pinpoint v1 ------------------------------------------------------------------------------

V1_WHAT = "Amazon Pinpoint"
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
            raise map_v1_error(exc.response) from None
        except Exception as exc:  # transport, or an answer botocore could not read
            raise transport_error(exc, V1_WHAT) from None
        results = (answer.get("MessageResponse") or {}).get("Result") or {}
        result = results.get(request.destination)
        if result is None and len(results) == 1:
            result = next(iter(results.values()))
        if result is None:
            # A 200 took the request without saying what became of the address.
            raise outcome_unknown(V1_WHAT, "its 200 answer has no result for the address")
        error = result_error(result)
        if error is not None:
            raise error
        message_id = result.get("MessageId")
        if not message_id:
            raise outcome_unknown(V1_WHAT, "its SUCCESSFUL result has no MessageId")
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


def map_v1_error(response: dict[str, Any]) -> ApiError:
    code, message, status = service_error_of(response)
    if code == "TooManyRequestsException" or status == 429:
        return throttled(f"Amazon Pinpoint is throttling sends; retry later ({clean(message)})")
    if code == "BadRequestException":
        return ApiError(400, UPSTREAM_REJECTED, f"Amazon Pinpoint refused: {clean(message)}")
    if code == "PayloadTooLargeException":
        return ApiError(400, MESSAGE_TOO_LONG, "Amazon Pinpoint refused the message as too large")
    # NotFound (application ID), Forbidden (IAM), 5xx: the deployment's or AWS's problem.
    return service_error(code, message, status, V1_WHAT)


# End User Messaging Social (WhatsApp) ------------------------------------------------------------

WHATSAPP_WHAT = "the WhatsApp API"
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_REFUSED = frozenset({"ValidationException", "InvalidParametersException"})


class WhatsAppSender:
    api = "social"

    def __init__(self, client: Any, meta_api_version: str):
        self._send = client.send_whatsapp_message
        self._version = meta_api_version

    def send(self, request: SmsRequest) -> str:
        message = whatsapp_message(request.destination, request.message, request.template)
        params = {
            "originationPhoneNumberId": request.origination_identity,
            "message": _encode(message).encode("utf-8"),
            "metaApiVersion": self._version,
        }
        mapper = partial(map_whatsapp_error, request=request)
        return call_send(self._send, params, mapper, "messageId", WHATSAPP_WHAT)


def map_whatsapp_error(response: dict[str, Any], request: SmsRequest) -> ApiError:
    code, message, status = service_error_of(response)
    detail = f"{code}: {clean(message)}"
    if code == "ThrottledRequestException":
        return throttled(f"the WhatsApp API is throttling sends; retry later ({detail})")
    if code in _REFUSED:
        return ApiError(400, UPSTREAM_REJECTED, f"the WhatsApp API refused the message: {detail}")
    if code == "ResourceNotFoundException" and request.caller_origination is not None:
        return ApiError(
            400,
            UPSTREAM_REJECTED,
            f"originationIdentity was not found: {detail}",
            "originationIdentity",
        )
    # The deployment's phone number, its permissions, AWS or Meta: not the caller's to fix.
    return service_error(code, message, status, WHATSAPP_WHAT)


class ChannelSender:
    """The send function's and the dispatcher's one sender: WHATSAPP through End User
    Messaging Social, every other channel through the SMS sender."""

    def __init__(self, sms: Sender, whatsapp: WhatsAppSender | None):
        self.api = sms.api
        self._sms = sms
        self._whatsapp = whatsapp

    def send(self, request: SmsRequest) -> str:
        # validation and the dispatcher refuse WHATSAPP unless CHANNELS lists it
        sender = self._whatsapp if request.channel == WHATSAPP else self._sms
        return sender.send(request)  # type: ignore[union-attr]
