"""The channels a request may use (CONTRACT.md `channel`) and what each one costs and says.

SMS -> SendTextMessage, MMS -> SendMediaMessage, VOICE -> SendVoiceMessage, all through
End User Messaging SMS v2. The constants below are AWS's (botocore's pinpoint-sms-voice-v2
model and the MMS file-type page of the End User Messaging user guide); a test holds the
voices and the limits equal to botocore's model, so a botocore update that changes them
fails there first.
"""

from __future__ import annotations

from typing import NamedTuple

from .segments import count_segments

SMS = "SMS"
MMS = "MMS"
VOICE = "VOICE"
CHANNELS = (SMS, MMS, VOICE)

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


class Parts(NamedTuple):
    """What a message costs and what the 200/202 body says about it.

    parts: message parts counted against the MPS (pacing) and the Segments metric; an MMS
    is one part whatever its text, and so is a voice message. segments / encoding: the
    body's members, None where they mean nothing (an MMS has no encoding; a call neither).
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
    return Parts(1, None, None)


def media_extension(key: str) -> str:
    """The lower-case extension of an S3 key ("" when it has none)."""
    name = key.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""
