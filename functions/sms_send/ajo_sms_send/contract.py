"""The HTTP contract (docs/CONTRACT.md) in code: the channels a request may use and what a
message costs, the error codes, the API Gateway event in and the proxy responses out.

The contract's error codes and the exception that carries one to the response.

How many SMS parts a text costs, and in which encoding (3GPP TS 23.038).

GSM-7: 160 septets in one part, 153 per part when split; characters of the extension
table (^ { } \\ [ ~ ] | € and form feed) take two septets and an escape pair is never split
across parts. Anything outside GSM-7 forces UCS-2: 70 UTF-16 code units in one part,
67 per part when split; a surrogate pair (emoji) is never split either.

The channels a request may use (CONTRACT.md `channel`) and what each one costs and says.

SMS -> SendTextMessage, MMS -> SendMediaMessage, VOICE -> SendVoiceMessage, all through
End User Messaging SMS v2; WHATSAPP -> End User Messaging Social's SendWhatsAppMessage, whose
`message` is a WhatsApp Cloud API message object. The constants below are AWS's (botocore's
pinpoint-sms-voice-v2 and socialmessaging models, the MMS file-type page of the End User
Messaging user guide) or Meta's (the Cloud API's message reference); a test holds the voices
and the limits equal to botocore's models, so a botocore update that changes them fails
there first.

API Gateway REST proxy event (payload format 1.0) -> the request's JSON object.

API Gateway proxy responses in the contract's shapes.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, NamedTuple

# Error codes -------------------------------------------------------------------------------------

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


# Segments ----------------------------------------------------------------------------------------

GSM7 = "GSM-7"
UCS2 = "UCS-2"

_GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = "\f^{}\\[~]|€"
_NOT_GSM = re.compile("[^" + re.escape(_GSM_BASIC + _GSM_EXTENSION) + "]")
_EXTENSION = re.compile("[" + re.escape(_GSM_EXTENSION) + "]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def count_segments(text: str) -> tuple[int, str]:
    """(parts, encoding) for `text`."""
    if _NOT_GSM.search(text) is None:
        wide = len(_EXTENSION.findall(text))
        return _parts(text, len(text) + wide, wide, 160, 153, _EXTENSION), GSM7
    wide = len(_ASTRAL.findall(text))
    return _parts(text, len(text) + wide, wide, 70, 67, _ASTRAL), UCS2


def _parts(text: str, units: int, wide: int, single: int, per_part: int, wide_re) -> int:
    if units <= single:
        return 1
    if not wide:
        return -(-units // per_part)
    # Two-unit characters cannot straddle a part boundary: pack greedily.
    parts, used = 1, 0
    for char in text:
        size = 2 if wide_re.match(char) else 1
        if used + size > per_part:
            parts, used = parts + 1, 0
        used += size
    return parts


# Channels ----------------------------------------------------------------------------------------

SMS = "SMS"
MMS = "MMS"
VOICE = "VOICE"
WHATSAPP = "WHATSAPP"
CHANNELS = (SMS, MMS, VOICE, WHATSAPP)

# SendMediaMessage: MessageBody 1-1600 characters, MediaUrls exactly one s3:// URI.
MAX_MEDIA_URL = 2048
# "MMS file types, size and character limits" (End User Messaging SMS user guide): the
# media types AWS sends, by the extension their files carry. AWS reads the object's own
# type; the extension is what a caller can be told about before the send.
MEDIA_TYPES = {
    "gif": "image/gif",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "3gp": "video/3gpp",
    "3gpp": "video/3gpp",
    "3g2": "video/3gpp2",
    "3gpp2": "video/3gpp2",
    "amr": "audio/amr",
    "mp4": "video/mp4",
    "m4a": "audio/mp4",
    "mp3": "audio/mpeg",  # audio/mpeg: MP3 only
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "mov": "video/quicktime",
    "qt": "video/quicktime",
    "webm": "video/webm",
    "ics": "text/calendar",
    "vcf": "text/vcard",
    "vcard": "text/vcard",
    "pdf": "application/pdf",
}
# Images up to 2 MB, every other type up to 600 KB (same page): quoted in error messages.
MEDIA_SIZE_LIMITS = "images (gif, jpeg, png) up to 2 MB, other media up to 600 KB"

# SendVoiceMessage: MessageBodyTextType TEXT (default, at most 3000 characters) or SSML
# (at most 6000 including the tags); VoiceId one of the Amazon Polly voices (default MATTHEW).
TEXT = "TEXT"
SSML = "SSML"
MAX_VOICE_CHARS = {TEXT: 3000, SSML: 6000}
DEFAULT_VOICE_ID = "MATTHEW"
VOICE_IDS = frozenset(
    {
        "AMY", "ASTRID", "BIANCA", "BRIAN", "CAMILA", "CARLA", "CARMEN", "CELINE", "CHANTAL",
        "CONCHITA", "CRISTIANO", "DORA", "EMMA", "ENRIQUE", "EWA", "FILIZ", "GERAINT", "GIORGIO",
        "GWYNETH", "HANS", "INES", "IVY", "JACEK", "JAN", "JOANNA", "JOEY", "JUSTIN", "KARL",
        "KENDRA", "KIMBERLY", "LEA", "LIV", "LOTTE", "LUCIA", "LUPE", "MADS", "MAJA", "MARLENE",
        "MATHIEU", "MATTHEW", "MAXIM", "MIA", "MIGUEL", "MIZUKI", "NAJA", "NICOLE", "PENELOPE",
        "RAVEENA", "RICARDO", "RUBEN", "RUSSELL", "SALLI", "SEOYEON", "TAKUMI", "TATYANA",
        "VICKI", "VITORIA", "ZEINA", "ZHIYU",
    }
)  # fmt: skip


# SendWhatsAppMessage: originationPhoneNumberId as AWS formats the IDs (socialmessaging
# model). Meta's Cloud API: a text message's body has at most 4096 characters; a template is
# named in lower-case letters, digits and underscores (at most 512) and sent with a language
# code such as en or en_US.
WHATSAPP_PHONE_NUMBER_ID_RE = r"phone-number-id-[0-9a-f]{32}"
MAX_WHATSAPP_TEXT = 4096
WHATSAPP_TEMPLATE_NAME_RE = r"[a-z0-9_]{1,512}"
WHATSAPP_LANGUAGE_RE = r"[a-z]{2,3}(_[A-Z]{2})?"
# This module's own bounds on a template's body parameters ({{1}}, {{2}}, ...): far above
# what an approved template holds (its body has at most 1024 characters), and they keep the
# message far below the blob's 2,048,000 bytes.
MAX_TEMPLATE_PARAMETERS = 100
MAX_TEMPLATE_PARAMETER = 1024
DEFAULT_META_API_VERSION = "v20.0"
META_API_VERSION_RE = r"v[0-9]{1,3}\.[0-9]{1,3}"
DEFAULT_WHATSAPP_MPS = 80  # Meta's default throughput per business phone number


class Template(NamedTuple):
    """A Meta-approved WhatsApp template: its name, language and body parameters."""

    name: str
    language: str
    parameters: tuple[str, ...] = ()


def whatsapp_message(destination: str, text: str, template: Template | None) -> dict:
    """The Cloud API message object SendWhatsAppMessage passes to Meta: a template, or
    free-form text (delivered only inside the 24 h customer service window)."""
    message: dict = {"messaging_product": "whatsapp", "to": destination}
    if template is None:
        message.update(type="text", text={"preview_url": False, "body": text})
        return message
    body: dict = {"name": template.name, "language": {"code": template.language}}
    if template.parameters:
        parameters = [{"type": "text", "text": value} for value in template.parameters]
        body["components"] = [{"type": "body", "parameters": parameters}]
    message.update(type="template", template=body)
    return message


class Parts(NamedTuple):
    """What a message costs and what the 200/202 body says about it.

    parts: message parts counted against the MPS (pacing) and the Segments metric; an MMS
    is one part whatever its text, and so is a voice or a WhatsApp message. segments /
    encoding: the body's members, None where they mean nothing (an MMS has no encoding;
    a call or a WhatsApp message neither).
    """

    parts: int
    segments: int | None
    encoding: str | None


def parts_of(channel: str, message: str) -> Parts:
    if channel == SMS:
        segments, encoding = count_segments(message)
        return Parts(segments, segments, encoding)
    if channel == MMS:
        return Parts(1, 1, None)
    return Parts(1, None, None)  # VOICE, WHATSAPP


def media_extension(key: str) -> str:
    """The lower-case extension of an S3 key ("" when it has none)."""
    name = key.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


# The API Gateway event ---------------------------------------------------------------------------

# API Gateway caps payloads at 10 MB; a valid request is a few KB. Refuse early rather
# than spend the function's time and memory decoding megabytes.
MAX_BODY_BYTES = 256 * 1024
# API Gateway's request IDs are UUIDs; anything else in an event (a hand-made test event)
# is not echoed, so a response carries no arbitrary text from it.
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9_=+/-]{1,128}")


def gateway_request_id(event: Any) -> str | None:
    """event.requestContext.requestId, or None when the event has no usable one."""
    gateway = event.get("requestContext") if isinstance(event, dict) else None
    value = gateway.get("requestId") if isinstance(gateway, dict) else None
    if isinstance(value, str) and _REQUEST_ID_RE.fullmatch(value):
        return value
    return None


def parse_body(event: Any) -> dict[str, Any]:
    if not isinstance(event, dict):
        raise bad_request(INVALID_JSON, "the event is not an API Gateway proxy request")
    body = event.get("body")
    if body is None or body == "":
        raise bad_request(INVALID_JSON, "the request body is empty; send a JSON object")
    if not isinstance(body, str):
        raise bad_request(INVALID_JSON, "the request body is not text")
    if len(body) > MAX_BODY_BYTES * 2:
        raise bad_request(INVALID_JSON, "the request body is too large")
    if event.get("isBase64Encoded") is True:
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise bad_request(INVALID_JSON, "the request body is not valid base64") from None
    else:
        raw = body
    if len(raw) > MAX_BODY_BYTES:
        raise bad_request(INVALID_JSON, "the request body is too large")
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise bad_request(INVALID_JSON, "the request body is not UTF-8") from None
    except RecursionError:
        raise bad_request(INVALID_JSON, "the request body is nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        raise bad_request(INVALID_JSON, f"the request body is not valid JSON{where}") from None
    if not isinstance(data, dict):
        raise bad_request(INVALID_JSON, "the request body must be a JSON object")
    return data


# Responses ---------------------------------------------------------------------------------------

# One encoder for the process: json.dumps with options builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _response(status: int, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": headers,
        "body": _encode(body),
        "isBase64Encoded": False,
    }


def _describe(body: dict[str, Any], channel: str, parts: Parts) -> None:
    """`channel`, then `segments` / `encoding` only where they mean something (SMS both,
    MMS segments 1, VOICE neither)."""
    body["channel"] = channel
    if parts.segments is not None:
        body["segments"] = parts.segments
    if parts.encoding is not None:
        body["encoding"] = parts.encoding


def sent(
    status: str,
    message_id: str,
    destination: str,
    channel: str,
    parts: Parts,
    replay: bool = False,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": status,
        "messageId": message_id,
        "destinationNumber": destination,
    }
    _describe(body, channel, parts)
    body["idempotentReplay"] = replay
    return _response(200, body, {"Content-Type": "application/json"})


def queued(
    tracking_id: str,
    destination: str,
    channel: str,
    parts: Parts,
    replay: bool = False,
    message_id: str | None = None,
) -> dict[str, Any]:
    """202: accepted for paced delivery (docs/DELIVERY.md); messageId once it was sent."""
    body: dict[str, Any] = {
        "status": "QUEUED",
        "trackingId": tracking_id,
        "destinationNumber": destination,
    }
    _describe(body, channel, parts)
    body["idempotentReplay"] = replay
    if message_id:
        body["messageId"] = message_id
    return _response(202, body, {"Content-Type": "application/json"})


def error(err: ApiError, request_id: str | None) -> dict[str, Any]:
    """The contract's error body plus API Gateway's requestId (null when the event has
    none), the field API Gateway's own error bodies carry (modules/api/responses.tf)."""
    headers = {"Content-Type": "application/json"}
    if err.retry_after is not None:
        headers["Retry-After"] = str(err.retry_after)
    return _response(err.status, {**err.body(), "requestId": request_id}, headers)
