"""The dispatcher's settings (docs/DELIVERY.md "Environment variables"), read at cold start.

Besides the send function's SMS settings (SMS_API, CONFIGURATION_SET_NAME, timeouts, ...):

  DELIVERY_TABLE        tracking records and the token bucket             (required)
  QUEUE_URL_TRANSACTIONAL, QUEUE_URL_PROMOTIONAL   re-enqueue targets     (required)
  DLQ_URL               where a message goes after MAX_ATTEMPTS           (required)
  MPS                   message parts per second, all instances together (required)
  PROMOTIONAL_RESERVE   parts kept for transactional          (default ceil(MPS / 3))
  WHATSAPP_MPS          WhatsApp messages per second per phone number ID   (default 80)
  MAX_ATTEMPTS          transient failures before the DLQ                 (default 5)
  EVENTS_STREAM_NAME    Firehose stream for outcome events          (optional)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

from .channels import DEFAULT_WHATSAPP_MPS
from .config import Settings, _number, _optional, settings_from_env


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
