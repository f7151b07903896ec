"""Cold start: the settings read once from the environment (the send function's and the
dispatcher's) and the botocore clients they configure.

Settings read once from the environment at cold start (CONTRACT.md section 2).

Unset or empty optional variables disable their feature. A malformed value fails the
cold start with a message naming the variable: a misconfigured deployment should be loud,
not send SMS with half-applied settings.

Besides the contract's variables, these optional knobs bound the time a send may take
(AJO's journey timeout is 1-30 s and AJO itself retries up to 3 times):

  SMS_CONNECT_TIMEOUT_SECONDS  TCP connect timeout per SMS API attempt   (default 1)
  SMS_READ_TIMEOUT_SECONDS     read timeout per SMS API attempt          (default 3)
  SMS_MAX_ATTEMPTS             attempts per send for retry-safe failures (default 3)
  SMS_TIME_BUDGET_SECONDS      no new attempt starts past this budget    (default 6)
  IDEMPOTENCY_TTL_SECONDS      how long a sent key is remembered         (default 86400)
  LOG_LEVEL                    DEBUG, INFO, WARNING or ERROR             (default INFO)
  UNKNOWN_OUTCOME              at_most_once or at_least_once: what a retry with the same
                               idempotencyKey gets when the SMS API's answer was lost
                               (default at_most_once; README: "Outcome unknown")

Channels (CONTRACT.md `channel`): CHANNELS (comma-separated SMS, MMS, VOICE, WHATSAPP; SMS
is always on; default SMS), MEDIA_BUCKET (the S3 bucket MMS media come from; required with
MMS), DEFAULT_VOICE_ID (an Amazon Polly voice of SendVoiceMessage's VoiceId, default
MATTHEW), WHATSAPP_PHONE_NUMBER_IDS (comma-separated End User Messaging Social phone number
IDs, the first the default; required with WHATSAPP), WHATSAPP_META_API_VERSION (default
v20.0).

Queued delivery (docs/DELIVERY.md): DEFAULT_DELIVERY (direct | queued, default direct),
QUEUE_URL_TRANSACTIONAL and QUEUE_URL_PROMOTIONAL (both or neither), DELIVERY_TABLE,
VALIDITY_SECONDS (default 14400, at most 259200: the SMS API's TimeToLive ceiling).

The dispatcher's settings (docs/DELIVERY.md "Environment variables"), read at cold start.

Besides the send function's SMS settings (SMS_API, CONFIGURATION_SET_NAME, timeouts, ...):

  DELIVERY_TABLE        tracking records and the token bucket             (required)
  QUEUE_URL_TRANSACTIONAL, QUEUE_URL_PROMOTIONAL   re-enqueue targets     (required)
  DLQ_URL               where a message goes after MAX_ATTEMPTS           (required)
  MPS                   message parts per second, all instances together (required)
  PROMOTIONAL_RESERVE   parts kept for transactional          (default ceil(MPS / 3))
  WHATSAPP_MPS          WhatsApp messages per second per phone number ID   (default 80)
  MAX_ATTEMPTS          transient failures before the DLQ                 (default 5)
  EVENTS_STREAM_NAME    Firehose stream for outcome events          (optional)

botocore clients, created once per cold start.

The default credential and endpoint chain applies, so `AWS_ENDPOINT_URL_<SERVICE>`
redirects them. botocore is used without boto3: boto3 adds ~15 ms to the cold start and
nothing this function needs.

botocore's own retries are off for the SMS APIs (one attempt per call; an explicit
total_max_attempts wins over AWS_MAX_ATTEMPTS / AWS_RETRY_MODE): SendTextMessage has no
client token, and botocore retries a reset, a FIN and a read timeout, each of which may
follow an accepted send. The function retries itself, only where the SMS API surely did
not take the message (senders).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import botocore.session
from botocore.config import Config

from .contract import (
    CHANNELS,
    DEFAULT_META_API_VERSION,
    DEFAULT_VOICE_ID,
    DEFAULT_WHATSAPP_MPS,
    META_API_VERSION_RE,
    MMS,
    SMS,
    VOICE_IDS,
    WHATSAPP,
    WHATSAPP_PHONE_NUMBER_ID_RE,
)

# The send function's settings --------------------------------------------------------------------

_MESSAGE_TYPES = ("TRANSACTIONAL", "PROMOTIONAL")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
AT_MOST_ONCE = "at_most_once"
AT_LEAST_ONCE = "at_least_once"
DELIVERY_MODES = ("DIRECT", "QUEUED")
MAX_VALIDITY_SECONDS = 259200  # SendTextMessage TimeToLive maximum (72 h)
_REGION_RE = re.compile(r"[A-Za-z]{2}")
# SendMediaMessage's MediaUrls pattern, bucket part: s3://([a-z0-9\.-]{3,63})/(.+)
_BUCKET_RE = re.compile(r"[a-z0-9.-]{3,63}")


class Settings(NamedTuple):  # NamedTuple, not dataclass: ~1 ms less at every cold start
    configuration_set_name: str | None = None
    default_origination_identity: str | None = None
    default_country: str = "US"
    default_message_type: str = "TRANSACTIONAL"
    idempotency_table: str | None = None
    idempotency_ttl_seconds: int = 86400
    sms_api: str = "v2"
    pinpoint_application_id: str | None = None
    connect_timeout: float = 1.0
    read_timeout: float = 3.0
    max_attempts: int = 3
    time_budget: float = 6.0
    log_level: str = "INFO"
    unknown_outcome: str = AT_MOST_ONCE
    default_delivery: str = "direct"
    queue_urls: dict[str, str] | None = None  # message type -> queue URL; None: no queues
    delivery_table: str | None = None
    validity_seconds: int = 14400
    channels: frozenset[str] = frozenset({SMS})
    media_bucket: str | None = None
    default_voice_id: str = DEFAULT_VOICE_ID
    whatsapp_phone_number_ids: tuple[str, ...] = ()  # the first is the default origination
    meta_api_version: str = DEFAULT_META_API_VERSION


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _number(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = _optional(env, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {raw!r}")
    return value


def _choice(
    env: Mapping[str, str],
    name: str,
    default: str,
    allowed: tuple[str, ...],
    case: Callable[[str], str] = str.upper,
) -> str:
    value = case(_optional(env, name) or default)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def settings_from_env(env: Mapping[str, str]) -> Settings:
    sms_api = (_optional(env, "SMS_API") or "v2").lower()
    if sms_api not in ("v1", "v2"):
        raise ValueError(f"SMS_API must be v1 or v2, got {sms_api!r}")
    application_id = _optional(env, "PINPOINT_APPLICATION_ID")
    if sms_api == "v1" and application_id is None:
        raise ValueError("PINPOINT_APPLICATION_ID is required when SMS_API=v1")
    country = (_optional(env, "DEFAULT_COUNTRY") or "US").upper()
    if not _REGION_RE.fullmatch(country):
        raise ValueError(f"DEFAULT_COUNTRY must be an ISO 3166-1 alpha-2 code, got {country!r}")
    return Settings(
        configuration_set_name=_optional(env, "CONFIGURATION_SET_NAME"),
        default_origination_identity=_optional(env, "DEFAULT_ORIGINATION_IDENTITY"),
        default_country=country,
        default_message_type=_choice(env, "DEFAULT_MESSAGE_TYPE", "TRANSACTIONAL", _MESSAGE_TYPES),
        idempotency_table=_optional(env, "IDEMPOTENCY_TABLE"),
        idempotency_ttl_seconds=int(_number(env, "IDEMPOTENCY_TTL_SECONDS", 86400, 60, 31536000)),
        sms_api=sms_api,
        pinpoint_application_id=application_id,
        connect_timeout=_number(env, "SMS_CONNECT_TIMEOUT_SECONDS", 1.0, 0.1, 10),
        read_timeout=_number(env, "SMS_READ_TIMEOUT_SECONDS", 3.0, 0.1, 25),
        max_attempts=int(_number(env, "SMS_MAX_ATTEMPTS", 3, 1, 10)),
        time_budget=_number(env, "SMS_TIME_BUDGET_SECONDS", 6.0, 0.1, 28),
        log_level=_choice(env, "LOG_LEVEL", "INFO", _LOG_LEVELS),
        unknown_outcome=_choice(
            env, "UNKNOWN_OUTCOME", AT_MOST_ONCE, (AT_MOST_ONCE, AT_LEAST_ONCE), str.lower
        ),
        **delivery_settings(env),
        **channel_settings(env),
    )


def channel_settings(env: Mapping[str, str]) -> dict:
    """CHANNELS, MEDIA_BUCKET, DEFAULT_VOICE_ID, WHATSAPP_* (shared by the send function
    and the dispatcher).

    With SMS_API=v1 the channels stay as set (one Terraform passes them to every
    deployment); validation answers CHANNEL_NOT_ENABLED for anything but SMS there."""
    raw = _optional(env, "CHANNELS") or SMS
    channels = {name.strip().upper() for name in raw.split(",") if name.strip()}
    unknown = sorted(channels - set(CHANNELS))
    if unknown:
        raise ValueError(
            f"CHANNELS must list {', '.join(CHANNELS)} (comma-separated), got {unknown[0]!r}"
        )
    bucket = _optional(env, "MEDIA_BUCKET")
    if MMS in channels and bucket is None:
        raise ValueError("CHANNELS with MMS needs MEDIA_BUCKET (the S3 bucket of the media)")
    if bucket is not None and not _BUCKET_RE.fullmatch(bucket):
        raise ValueError(f"MEDIA_BUCKET must be an S3 bucket name, got {bucket!r}")
    voice = (_optional(env, "DEFAULT_VOICE_ID") or DEFAULT_VOICE_ID).upper()
    if voice not in VOICE_IDS:
        raise ValueError(
            f"DEFAULT_VOICE_ID must be an Amazon Polly voice such as MATTHEW, got {voice!r}"
        )
    return {
        "channels": frozenset(channels | {SMS}),
        "media_bucket": bucket,
        "default_voice_id": voice,
        **_whatsapp_settings(env, WHATSAPP in channels),
    }


def _whatsapp_settings(env: Mapping[str, str], enabled: bool) -> dict:
    raw = _optional(env, "WHATSAPP_PHONE_NUMBER_IDS") or ""
    ids = tuple(dict.fromkeys(name.strip() for name in raw.split(",") if name.strip()))
    if enabled and not ids:
        raise ValueError("CHANNELS with WHATSAPP needs WHATSAPP_PHONE_NUMBER_IDS")
    for phone_number_id in ids:
        if not re.fullmatch(WHATSAPP_PHONE_NUMBER_ID_RE, phone_number_id):
            raise ValueError(
                "WHATSAPP_PHONE_NUMBER_IDS must list phone-number-id-<32 hex> IDs, "
                f"got {phone_number_id!r}"
            )
    version = _optional(env, "WHATSAPP_META_API_VERSION") or DEFAULT_META_API_VERSION
    if not re.fullmatch(META_API_VERSION_RE, version):
        raise ValueError(f"WHATSAPP_META_API_VERSION must look like v20.0, got {version!r}")
    return {"whatsapp_phone_number_ids": ids, "meta_api_version": version}


def delivery_settings(env: Mapping[str, str]) -> dict:
    """The queued-delivery fields of Settings (shared by the send function and dispatcher)."""
    urls = {
        "TRANSACTIONAL": _optional(env, "QUEUE_URL_TRANSACTIONAL"),
        "PROMOTIONAL": _optional(env, "QUEUE_URL_PROMOTIONAL"),
    }
    if any(urls.values()) and not all(urls.values()):
        raise ValueError("set both QUEUE_URL_TRANSACTIONAL and QUEUE_URL_PROMOTIONAL, or neither")
    queues = urls if all(urls.values()) else None
    mode = _choice(env, "DEFAULT_DELIVERY", "DIRECT", DELIVERY_MODES).lower()
    table = _optional(env, "DELIVERY_TABLE")
    if mode == "queued" and queues is None:
        raise ValueError("DEFAULT_DELIVERY=queued needs QUEUE_URL_TRANSACTIONAL/PROMOTIONAL")
    if queues is not None and table is None:
        raise ValueError("queued delivery needs DELIVERY_TABLE")
    validity = _number(env, "VALIDITY_SECONDS", 14400, 60, MAX_VALIDITY_SECONDS)
    return {
        "default_delivery": mode,
        "queue_urls": queues,
        "delivery_table": table,
        "validity_seconds": int(validity),
    }


# The dispatcher's settings -----------------------------------------------------------------------


class DispatchSettings(NamedTuple):
    sms: Settings
    queue_urls: dict[str, str]
    delivery_table: str
    dlq_url: str
    mps: float
    promotional_reserve: float
    max_attempts: int
    events_stream: str | None
    whatsapp_mps: float = DEFAULT_WHATSAPP_MPS


def dispatch_settings_from_env(env: Mapping[str, str]) -> DispatchSettings:
    sms = settings_from_env(env)
    missing = [
        name
        for name in ("DELIVERY_TABLE", "QUEUE_URL_TRANSACTIONAL", "DLQ_URL", "MPS")
        if _optional(env, name) is None
    ]
    if missing:
        raise ValueError(f"the dispatcher needs {', '.join(missing)}")
    mps = _number(env, "MPS", 1, 0.1, 10000)
    reserve = _number(env, "PROMOTIONAL_RESERVE", math.ceil(mps / 3), 0, mps)
    return DispatchSettings(
        sms=sms,
        queue_urls=sms.queue_urls or {},
        delivery_table=sms.delivery_table or "",
        dlq_url=_optional(env, "DLQ_URL") or "",
        mps=mps,
        promotional_reserve=reserve,
        max_attempts=int(_number(env, "MAX_ATTEMPTS", 5, 1, 100)),
        events_stream=_optional(env, "EVENTS_STREAM_NAME"),
        whatsapp_mps=_number(env, "WHATSAPP_MPS", DEFAULT_WHATSAPP_MPS, 1, 1000),
    )


# botocore clients --------------------------------------------------------------------------------

_SESSION: list[Any] = []  # one botocore session per process: each new one costs ms


def _session() -> Any:
    if not _SESSION:
        _SESSION.append(botocore.session.get_session())
    return _SESSION[0]


def delivery_client(service: str) -> Any:
    """SQS, DynamoDB or Firehose for queued delivery (docs/DELIVERY.md).

    Short timeouts and one botocore retry: every queued-delivery call is safe to repeat
    (the dispatcher deduplicates by trackingId; table writes are conditional)."""
    return _session().create_client(
        service,
        config=Config(
            connect_timeout=1, read_timeout=2, retries={"mode": "standard", "total_max_attempts": 2}
        ),
    )


def _send_config(settings: Settings) -> Config:
    return Config(
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        retries={"mode": "standard", "total_max_attempts": 1},
        # validation.py already enforces the service model's types, lengths and patterns
        # (a property test checks every request sent against it): skip botocore's second
        # pass, ~20 us per request.
        parameter_validation=False,
    )


def whatsapp_client(settings: Settings) -> Any:
    """End User Messaging Social, under the SMS APIs' one-attempt policy: SendWhatsAppMessage
    has no client token either."""
    return _session().create_client("socialmessaging", config=_send_config(settings))


def create_clients(settings: Settings) -> tuple[Any, Any | None]:
    """(SMS API client for settings.sms_api, DynamoDB client or None)."""
    session = _session()
    service = "pinpoint-sms-voice-v2" if settings.sms_api == "v2" else "pinpoint"
    sms = session.create_client(service, config=_send_config(settings))
    dynamodb = None
    if settings.idempotency_table:
        # Idempotency calls are safe to retry (conditional writes, owner token): let
        # botocore retry them once, quickly.
        dynamodb = session.create_client(
            "dynamodb",
            config=Config(
                connect_timeout=1,
                read_timeout=2,
                retries={"mode": "standard", "total_max_attempts": 2},
            ),
        )
    return sms, dynamodb
