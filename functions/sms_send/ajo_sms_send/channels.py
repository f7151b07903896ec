"""The channels a request may use (CONTRACT.md `channel`) and what each one costs and says.

SMS -> SendTextMessage, MMS -> SendMediaMessage, VOICE -> SendVoiceMessage, all through
End User Messaging SMS v2; WHATSAPP -> End User Messaging Social's SendWhatsAppMessage, whose
`message` is a WhatsApp Cloud API message object. The constants below are AWS's (botocore's
pinpoint-sms-voice-v2 and socialmessaging models, the MMS file-type page of the End User
Messaging user guide) or Meta's (the Cloud API's message reference); a test holds the voices
and the limits equal to botocore's models, so a botocore update that changes them fails
there first.
"""

from __future__ import annotations

from typing import NamedTuple

from .segments import count_segments

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
