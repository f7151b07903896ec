"""The request's JSON object -> a validated SmsRequest, and the phone number rules it applies.

The request's JSON object -> a validated SmsRequest (CONTRACT.md section 1).

Everything the SMS API would reject for its shape (lengths, patterns, types) is caught here
with the contract's error code and the field's name, so a caller sees which field to fix
and the SMS API only ever sees well-formed requests. A JSON `null` means "not sent".

Phone numbers: E.164 normalisation with libphonenumber, and masking for logs.

phonenumberslite is the libphonenumber port without geocoder/carrier/timezone data, which
this function never uses: same parsing and validation, 0.5 MB zipped instead of 2.5 MB.
"""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberFormat,
    region_code_for_country_code,
)

from .config import Settings
from .contract import (
    CHANNEL_NOT_ENABLED,
    CHANNELS,
    CONFLICTING_FIELDS,
    INVALID_FIELD,
    INVALID_MEDIA_URL,
    INVALID_PHONE_NUMBER,
    MAX_MEDIA_URL,
    MAX_TEMPLATE_PARAMETER,
    MAX_TEMPLATE_PARAMETERS,
    MAX_VOICE_CHARS,
    MAX_WHATSAPP_TEXT,
    MEDIA_TYPES,
    MESSAGE_TOO_LONG,
    MISSING_FIELD,
    MMS,
    SMS,
    SSML,
    TEXT,
    VOICE,
    VOICE_IDS,
    WHATSAPP,
    WHATSAPP_LANGUAGE_RE,
    WHATSAPP_TEMPLATE_NAME_RE,
    Template,
    bad_request,
    media_extension,
)
from .request import SmsRequest

# Validation --------------------------------------------------------------------------------------

MAX_MESSAGE_CHARS = 1600  # SMS and MMS; VOICE and WHATSAPP have their own
_TEXT_LIMITS = {WHATSAPP: MAX_WHATSAPP_TEXT}
MAX_CONTEXT_ENTRIES = 5
MAX_CONTEXT_KEY = 100
MAX_CONTEXT_VALUE = 800
MAX_IDEMPOTENCY_KEY = 256
MESSAGE_TYPES = frozenset({"TRANSACTIONAL", "PROMOTIONAL"})
DELIVERIES = frozenset({"direct", "queued"})
# Queued sends carry the trackingId in the SMS Context (docs/DELIVERY.md), so carrier
# events join on it: it takes one of the Context's 5 entries and its key is reserved.
TRACKING_CONTEXT_KEY = "trackingId"
# The SMS API's own patterns (botocore service model), anchored.
_ORIGINATION_RE = re.compile(r"[A-Za-z0-9_:/+-]{1,256}")
_CONFIGURATION_SET_RE = re.compile(r"[A-Za-z0-9_:/-]{1,256}")
_CONTEXT_KEY_RE = re.compile(r"\S{1,100}")
# MediaUrlValue's pattern, s3://([a-z0-9\.-]{3,63})/(.+), with the key's `.` as the
# service (Java) reads it: no line breaks, nor any other control character.
_MEDIA_URL_RE = re.compile(r"s3://([a-z0-9.-]{3,63})/([^\x00-\x1f\x7f-\x9f\u2028\u2029]+)")
_TEMPLATE_NAME_RE = re.compile(WHATSAPP_TEMPLATE_NAME_RE)
_LANGUAGE_RE = re.compile(WHATSAPP_LANGUAGE_RE)


def _string(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(INVALID_FIELD, f"{name} must be a string", name)
    return value


def _choice(body: dict[str, Any], name: str, allowed: Any, message: str) -> str | None:
    """An optional value of a fixed set, case-insensitive: upper-cased, None when absent."""
    value = _string(body, name)
    if value is None:
        return None
    normalised = value.strip().upper()
    if normalised not in allowed:
        raise bad_request(INVALID_FIELD, message, name)
    return normalised


def _encodable(value: str, name: str) -> str:
    # Unpaired surrogates survive json.loads but cannot be sent as UTF-8.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request(INVALID_FIELD, f"{name} contains invalid Unicode", name) from None
    return value


def _destination(body: dict[str, Any], settings: Settings) -> str:
    raw = body.get("destinationNumber")
    if raw is None:
        raise bad_request(MISSING_FIELD, "destinationNumber is required", "destinationNumber")
    if not isinstance(raw, str):
        raise bad_request(INVALID_FIELD, "destinationNumber must be a string", "destinationNumber")
    region = _string(body, "defaultCountry")
    if region is None:
        region = settings.default_country
    else:
        region = region.strip().upper()
        if region not in SUPPORTED_REGIONS:
            raise bad_request(
                INVALID_FIELD,
                "defaultCountry must be an ISO 3166-1 alpha-2 region code such as US or FR",
                "defaultCountry",
            )
    return to_e164(raw, region)


def _channel(body: dict[str, Any], settings: Settings) -> str:
    message = "channel must be SMS, MMS, VOICE or WHATSAPP"
    channel = _choice(body, "channel", CHANNELS, message) or SMS
    if not channel_enabled(channel, settings):
        why = "SMS_API=v1 sends SMS only" if settings.sms_api != "v2" else "CHANNELS"
        raise bad_request(
            CHANNEL_NOT_ENABLED,
            f"channel {channel} is not enabled on this deployment ({why})",
            "channel",
        )
    return channel


def channel_enabled(channel: str, settings: Settings) -> bool:
    """SMS always; the others when CHANNELS lists them, with SMS v2 only."""
    return channel == SMS or (settings.sms_api == "v2" and channel in settings.channels)


# The fields one channel owns.
_CHANNEL_FIELDS = (
    ("mediaUrls", MMS),
    ("voiceId", VOICE),
    ("messageBodyTextType", VOICE),
    ("templateName", WHATSAPP),
    ("templateLanguage", WHATSAPP),
    ("templateParameters", WHATSAPP),
)
# End User Messaging SMS fields SendWhatsAppMessage has nothing for.
_NOT_WHATSAPP = ("poolId", "configurationSetName", "context")


def _foreign_fields(body: dict[str, Any], channel: str) -> None:
    """A field of another channel is refused, not dropped: an SMS sent for an MMS would
    lose its image without a word. Checked before the message, whose rules they change."""
    for name, owner in _CHANNEL_FIELDS:
        if channel != owner and body.get(name) is not None:
            raise bad_request(INVALID_FIELD, f"{name} is only for channel {owner}", name)
    if channel != WHATSAPP:
        return
    for name in _NOT_WHATSAPP:
        if body.get(name) is not None:
            raise bad_request(INVALID_FIELD, f"{name} is not for channel {WHATSAPP}", name)
    if body.get("dryRun") is True:
        raise bad_request(
            INVALID_FIELD, f"dryRun is not for channel {WHATSAPP} (it has no dry run)", "dryRun"
        )


def _template(body: dict[str, Any], channel: str) -> Template | None:
    if channel != WHATSAPP:
        return None
    name = _string(body, "templateName")
    language = _string(body, "templateLanguage")
    parameters = _template_parameters(body.get("templateParameters"))
    if name is None:
        if language is not None or body.get("templateParameters") is not None:
            raise bad_request(
                MISSING_FIELD,
                "templateLanguage and templateParameters need templateName",
                "templateName",
            )
        return None
    name = name.strip()
    if not _TEMPLATE_NAME_RE.fullmatch(name):
        raise bad_request(
            INVALID_FIELD,
            "templateName must be a WhatsApp template's name: 1-512 lower-case letters, "
            "digits and underscores",
            "templateName",
        )
    if language is None:
        raise bad_request(MISSING_FIELD, "templateLanguage is required", "templateLanguage")
    language = language.strip()
    if not _LANGUAGE_RE.fullmatch(language):
        raise bad_request(
            INVALID_FIELD,
            "templateLanguage must be a WhatsApp language code such as en or en_US",
            "templateLanguage",
        )
    return Template(name, language, parameters)


def _template_parameters(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    shape = (
        f"templateParameters must be an array of at most {MAX_TEMPLATE_PARAMETERS} non-empty "
        f"strings of at most {MAX_TEMPLATE_PARAMETER} characters (Meta refuses an empty one)"
    )
    if not isinstance(raw, list) or len(raw) > MAX_TEMPLATE_PARAMETERS:
        raise bad_request(INVALID_FIELD, shape, "templateParameters")
    for value in raw:
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEMPLATE_PARAMETER:
            raise bad_request(INVALID_FIELD, shape, "templateParameters")
    return tuple(_encodable(value, "templateParameters") for value in raw)


def _text_type(body: dict[str, Any], channel: str) -> str | None:
    if channel != VOICE:
        return None
    message = "messageBodyTextType must be TEXT or SSML"
    return _choice(body, "messageBodyTextType", MAX_VOICE_CHARS, message) or TEXT


def _message(
    body: dict[str, Any], channel: str, text_type: str | None, template: Template | None
) -> str:
    """The trimmed text; "" for an MMS without one (it then needs mediaUrls) and for a
    WhatsApp template."""
    raw = body.get("message")
    if template is not None:
        if raw is not None:
            raise bad_request(
                CONFLICTING_FIELDS, "send templateName or message, not both", "message"
            )
        return ""
    if raw is None:
        if channel == MMS:
            return ""
        if channel == WHATSAPP:
            raise bad_request(
                MISSING_FIELD,
                "a WhatsApp message needs templateName (a template Meta approved) or message "
                "(free-form text, delivered only inside the 24 h customer service window)",
                "message",
            )
        raise bad_request(MISSING_FIELD, "message is required", "message")
    if not isinstance(raw, str):
        raise bad_request(INVALID_FIELD, "message must be a string", "message")
    text = raw.strip()
    if not text:
        raise bad_request(INVALID_FIELD, "message must not be empty", "message")
    limit = (
        MAX_VOICE_CHARS[text_type] if text_type else _TEXT_LIMITS.get(channel, MAX_MESSAGE_CHARS)
    )
    if len(text) > limit:
        kind = f"{text_type} voice message" if text_type else "message"
        raise bad_request(
            MESSAGE_TOO_LONG,
            f"message has {len(text)} characters; at most {limit} are allowed in a {kind}",
            "message",
        )
    text = _encodable(text, "message")
    if text_type == SSML:
        _ssml(text)
    return text


def _ssml(text: str) -> None:
    """Amazon Polly reads SSML as one XML document whose root is <speak>. A DOCTYPE (and
    with it any entity definition) is refused before parsing: nothing to expand."""
    from xml.parsers import expat  # only SSML pays for the import

    error = bad_request(
        INVALID_FIELD,
        "message must be an SSML document: well-formed XML inside <speak>...</speak>",
        "message",
    )
    if "<!doctype" in text.lower():
        raise error
    roots: list[str] = []
    parser = expat.ParserCreate()
    parser.StartElementHandler = lambda name, _attributes: roots.append(name)
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError:
        raise error from None
    if not roots or roots[0] != "speak":
        raise error


def _media_urls(
    body: dict[str, Any], channel: str, settings: Settings, message: str
) -> tuple[str, ...] | None:
    if channel != MMS:
        return None
    raw = body.get("mediaUrls")
    if raw is None:
        if not message:
            raise bad_request(MISSING_FIELD, "an MMS needs message, mediaUrls or both", "message")
        return None
    bucket = settings.media_bucket or ""
    shape = f"an array of one s3://{bucket}/<key> URI"
    if not isinstance(raw, list) or len(raw) != 1 or not isinstance(raw[0], str):
        raise bad_request(INVALID_MEDIA_URL, f"mediaUrls must be {shape}", "mediaUrls")
    url = raw[0]
    match = _MEDIA_URL_RE.fullmatch(url)
    if match is None or len(url) > MAX_MEDIA_URL:
        raise bad_request(
            INVALID_MEDIA_URL,
            f"mediaUrls must be {shape}, at most {MAX_MEDIA_URL} characters",
            "mediaUrls",
        )
    if match.group(1) != bucket:
        raise bad_request(
            INVALID_MEDIA_URL, f"media must be in this deployment's bucket {bucket}", "mediaUrls"
        )
    if media_extension(match.group(2)) not in MEDIA_TYPES:
        raise bad_request(
            INVALID_MEDIA_URL,
            "the media file must be one of the MMS types: "
            + ", ".join(sorted(MEDIA_TYPES))
            + " (by its extension)",
            "mediaUrls",
        )
    return (_encodable(url, "mediaUrls"),)


def _voice_id(body: dict[str, Any]) -> str | None:
    message = "voiceId must be an Amazon Polly voice such as MATTHEW"
    return _choice(body, "voiceId", VOICE_IDS, message)


def _origination(body: dict[str, Any]) -> str | None:
    identity = _string(body, "originationIdentity")
    pool = _string(body, "poolId")
    for name, value in (("originationIdentity", identity), ("poolId", pool)):
        if value is not None and not _ORIGINATION_RE.fullmatch(value):
            raise bad_request(
                INVALID_FIELD,
                f"{name} must be 1-256 characters of letters, digits and _:/+- "
                "(a phone number, sender ID, pool ID or their ARN)",
                name,
            )
    if identity is not None and pool is not None and identity != pool:
        raise bad_request(
            CONFLICTING_FIELDS,
            "poolId is an alias of originationIdentity; send one of them, or the same value",
            "poolId",
        )
    return identity if identity is not None else pool


def _message_type(body: dict[str, Any]) -> str | None:
    message = "messageType must be TRANSACTIONAL or PROMOTIONAL"
    return _choice(body, "messageType", MESSAGE_TYPES, message)


def _configuration_set(body: dict[str, Any]) -> str | None:
    value = _string(body, "configurationSetName")
    if value is not None and not _CONFIGURATION_SET_RE.fullmatch(value):
        raise bad_request(
            INVALID_FIELD,
            "configurationSetName must be 1-256 characters of letters, digits and _:/-",
            "configurationSetName",
        )
    return value


def _context(body: dict[str, Any]) -> dict[str, str] | None:
    raw = body.get("context")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise bad_request(INVALID_FIELD, "context must be an object of strings", "context")
    # Entries are counted and values measured as sent, as the API's request model does
    # (modules/api/request_schema.json): a journey's context fits or not whatever the
    # profile holds, rather than failing only for the profiles whose attributes are set.
    if len(raw) > MAX_CONTEXT_ENTRIES:
        raise bad_request(
            INVALID_FIELD, f"context has at most {MAX_CONTEXT_ENTRIES} entries", "context"
        )
    context: dict[str, str] = {}
    for key, value in raw.items():
        if not _CONTEXT_KEY_RE.fullmatch(key):
            raise bad_request(
                INVALID_FIELD,
                f"context keys must be 1-{MAX_CONTEXT_KEY} characters without spaces",
                "context",
            )
        if not isinstance(value, str):
            raise bad_request(INVALID_FIELD, "context values must be strings", "context")
        if len(value) > MAX_CONTEXT_VALUE:
            raise bad_request(
                INVALID_FIELD,
                f"context values must be at most {MAX_CONTEXT_VALUE} characters",
                "context",
            )
        value = value.strip()
        # AJO sends "" for an empty profile attribute; correlation data is not worth
        # failing an SMS for, and the SMS API refuses empty values, so drop them.
        if not value:
            continue
        context[_encodable(key, "context")] = _encodable(value, "context")
    return context or None


def _idempotency_key(body: dict[str, Any]) -> str | None:
    value = _string(body, "idempotencyKey")
    if value is not None and not 1 <= len(value) <= MAX_IDEMPOTENCY_KEY:
        raise bad_request(
            INVALID_FIELD,
            f"idempotencyKey must be 1-{MAX_IDEMPOTENCY_KEY} characters",
            "idempotencyKey",
        )
    return value


def _dry_run(body: dict[str, Any]) -> bool:
    value = body.get("dryRun")
    if value is None:
        return False
    if not isinstance(value, bool):
        raise bad_request(INVALID_FIELD, "dryRun must be true or false", "dryRun")
    return value


def _delivery(body: dict[str, Any], settings: Settings, dry_run: bool) -> str:
    value = _string(body, "delivery")
    chosen = settings.default_delivery if value is None else value.strip().lower()
    if chosen not in DELIVERIES:
        raise bad_request(INVALID_FIELD, "delivery must be direct or queued", "delivery")
    if dry_run:
        return "direct"  # nothing is sent, so there is nothing to queue
    if chosen == "queued" and settings.queue_urls is None:
        raise bad_request(
            INVALID_FIELD, "delivery queued is not enabled on this deployment", "delivery"
        )
    return chosen


def _queued_context(context: dict[str, str] | None) -> None:
    if not context:
        return
    if TRACKING_CONTEXT_KEY in context:
        raise bad_request(
            INVALID_FIELD,
            f"context key {TRACKING_CONTEXT_KEY} is reserved for queued delivery",
            "context",
        )
    if len(context) == MAX_CONTEXT_ENTRIES:
        raise bad_request(
            INVALID_FIELD,
            f"context has at most {MAX_CONTEXT_ENTRIES - 1} entries with queued delivery "
            f"(the {TRACKING_CONTEXT_KEY} takes one)",
            "context",
        )


def _default_origination(channel: str, settings: Settings) -> str | None:
    if channel == WHATSAPP:
        return settings.whatsapp_phone_number_ids[0]  # the config requires one
    return settings.default_origination_identity


def _needs_origination(channel: str, origination: str | None, settings: Settings) -> None:
    if channel == WHATSAPP:
        # The role may send from these only: any other is refused here, not by IAM.
        if origination is not None and origination not in settings.whatsapp_phone_number_ids:
            raise bad_request(
                INVALID_FIELD,
                "originationIdentity must be one of this deployment's WhatsApp phone number "
                "IDs (WHATSAPP_PHONE_NUMBER_IDS)",
                "originationIdentity",
            )
        return
    # SendMediaMessage and SendVoiceMessage require OriginationIdentity.
    if channel != SMS and not (origination or settings.default_origination_identity):
        raise bad_request(
            MISSING_FIELD,
            f"channel {channel} needs an origination identity: originationIdentity or poolId "
            "(this deployment has no DEFAULT_ORIGINATION_IDENTITY)",
            "originationIdentity",
        )


def validate(body: dict[str, Any], settings: Settings) -> SmsRequest:
    """Fields are checked in the order a caller reads the contract's table."""
    destination = _destination(body, settings)
    channel = _channel(body, settings)
    _foreign_fields(body, channel)
    text_type = _text_type(body, channel)
    template = _template(body, channel)
    message = _message(body, channel, text_type, template)
    media_urls = _media_urls(body, channel, settings, message)
    voice_id = _voice_id(body)
    origination = _origination(body)
    _needs_origination(channel, origination, settings)
    message_type = _message_type(body)
    configuration_set = _configuration_set(body)
    context = _context(body)
    idempotency_key = _idempotency_key(body)
    dry_run = _dry_run(body)
    delivery = _delivery(body, settings, dry_run)
    if delivery == "queued":
        _queued_context(context)
    return SmsRequest(
        destination=destination,
        message=message,
        origination_identity=origination or _default_origination(channel, settings),
        message_type=message_type or settings.default_message_type,
        configuration_set_name=(
            None if channel == WHATSAPP else configuration_set or settings.configuration_set_name
        ),
        context=context,
        idempotency_key=idempotency_key,
        dry_run=dry_run,
        caller_origination=origination,
        caller_message_type=message_type,
        caller_configuration_set=configuration_set,
        delivery=delivery,
        channel=channel,
        media_urls=media_urls,
        voice_id=(voice_id or settings.default_voice_id) if channel == VOICE else None,
        message_body_text_type=text_type,
        caller_voice_id=voice_id,
        template=template,
    )


# Phone numbers -----------------------------------------------------------------------------------

# Longer than any formatted number a person would write; stops pathological input early.
MAX_INPUT_LENGTH = 64
SUPPORTED_REGIONS = frozenset(phonenumbers.SUPPORTED_REGIONS)
_E164 = PhoneNumberFormat.E164
_FIELD = "destinationNumber"


def to_e164(raw: str, region: str) -> str:
    """The number in E.164, or ApiError(INVALID_PHONE_NUMBER). Never echoes the input."""
    if len(raw) > MAX_INPUT_LENGTH:
        raise bad_request(INVALID_PHONE_NUMBER, "destinationNumber is too long", _FIELD)
    number = parse_canonical_e164(raw)
    if number is None:
        try:
            number = phonenumbers.parse(raw, region)
        except NumberParseException:
            raise bad_request(
                INVALID_PHONE_NUMBER,
                f"destinationNumber is not a phone number (national numbers are read as {region})",
                _FIELD,
            ) from None
    if number.extension:
        raise bad_request(INVALID_PHONE_NUMBER, "destinationNumber has an extension", _FIELD)
    # Valid for the region numbers are read as (the common case) settles it in one pattern
    # pass; otherwise libphonenumber finds the number's own region first.
    if not (
        phonenumbers.is_valid_number_for_region(number, region)
        or phonenumbers.is_valid_number(number)
    ):
        raise bad_request(
            INVALID_PHONE_NUMBER,
            f"destinationNumber is not a valid number (national numbers are read as {region})",
            _FIELD,
        )
    return phonenumbers.format_number(number, _E164)


_CANONICAL_E164 = re.compile(r"\+([1-9][0-9]{6,14})")


def parse_canonical_e164(raw: str) -> PhoneNumber | None:
    """What phonenumbers.parse returns for a plain `+<digits>` string, in a third of its time.

    AJO usually sends E.164 already; parse's general normalisation (letters, Unicode
    digits, RFC 3966, extensions) is then wasted. None whenever parse could read the digits
    differently (national prefix, leading zeros, unknown country code): parse decides.
    The tests check this against parse for every region's example numbers.
    """
    match = _CANONICAL_E164.fullmatch(raw)
    if match is None:
        return None
    digits = match.group(1)
    for size in (1, 2, 3):  # country calling codes are prefix-free
        code = int(digits[:size])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    national = digits[size:]
    if len(national) < 2 or national[0] == "0":
        return None
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(
        code, region_code_for_country_code(code)
    )
    if metadata is None:
        return None
    prefix = metadata.national_prefix_for_parsing
    if prefix and re.match(prefix, national):
        return None  # parse might strip it as a national prefix
    return PhoneNumber(country_code=code, national_number=int(national))


def warm_up(region: str) -> None:
    """Load the region's metadata at cold start instead of on the first request."""
    example = phonenumbers.example_number(region)
    if example is not None:
        phonenumbers.is_valid_number(example)
