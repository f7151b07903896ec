"""botocore clients, created once per cold start.

The default credential and endpoint chain applies, so `AWS_ENDPOINT_URL_<SERVICE>`
redirects them. botocore is used without boto3: boto3 adds ~15 ms to the cold start and
nothing this function needs.

botocore's own retries are off for the SMS APIs (one attempt per call; an explicit
total_max_attempts wins over AWS_MAX_ATTEMPTS / AWS_RETRY_MODE): SendTextMessage has no
client token, and botocore retries a reset, a FIN and a read timeout, each of which may
follow an accepted send. The function retries itself, only where the SMS API surely did
not take the message (retrying, upstream).
"""

from __future__ import annotations

from typing import Any

import botocore.session
from botocore.config import Config

from .config import Settings

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
