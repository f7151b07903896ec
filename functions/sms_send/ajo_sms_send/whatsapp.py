"""End User Messaging Social: SendWhatsAppMessage (channel WHATSAPP), its errors mapped to
the contract the way sms_v2 maps the SMS API's.

Errors (botocore's socialmessaging model, REST-JSON, `message` their only member):
ValidationException and InvalidParametersException (400), AccessDeniedException (403),
ResourceNotFoundException (404), ThrottledRequestException (429), InternalServiceException
(500), DependencyException (502: Meta, behind AWS, failed; as for any 502 the send may
have happened). Whether Meta delivers (a template not approved, the 24 h window closed)
comes later, as an event on the WhatsApp Business Account's SNS topic.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from ajo_runtime.aws import service_error_of

from .channels import WHATSAPP, whatsapp_message
from .errors import UPSTREAM_REJECTED, ApiError, throttled
from .request import SmsRequest
from .upstream import call_send, clean, service_error

WHAT = "the WhatsApp API"
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
        mapper = partial(map_client_error, request=request)
        return call_send(self._send, params, mapper, "messageId", WHAT)


def map_client_error(response: dict[str, Any], request: SmsRequest) -> ApiError:
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
    return service_error(code, message, status, WHAT)


class ChannelSender:
    """The send function's and the dispatcher's one sender: WHATSAPP through End User
    Messaging Social, every other channel through the SMS sender."""

    def __init__(self, sms: Any, whatsapp: WhatsAppSender | None):
        self.api = sms.api
        self._sms = sms
        self._whatsapp = whatsapp

    def send(self, request: SmsRequest) -> str:
        # validation and the dispatcher refuse WHATSAPP unless CHANNELS lists it
        sender = self._whatsapp if request.channel == WHATSAPP else self._sms
        return sender.send(request)  # type: ignore[union-attr]
