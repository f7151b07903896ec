"""Environment read once at cold start (set by modules/event_export)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

DEFAULT_SCHEMA_CONTENT_TYPE = "application/vnd.adobe.xed-full+json;version=1"
DEFAULT_SOURCE_NAME = "aws-end-user-messaging-sms"

# The XDM ExperienceEvent built from each SMS event when XDM_TEMPLATE is unset:
# standard fields only, so it fits any ExperienceEvent schema with an identity
# map. Tenant fields go in a custom template (README: placeholders).
DEFAULT_XDM_TEMPLATE: dict = {
    "_id": "{{_id}}",
    "timestamp": "{{timestamp}}",
    "eventType": "{{eventType}}",
    "producedBy": "aws-end-user-messaging-sms",
    "identityMap": {
        "Phone": [
            {"id": "{{destinationPhoneNumber}}", "authenticatedState": "ambiguous", "primary": True}
        ]
    },
}

# AEP's streaming batch requests are limited to 1 MB; keep a margin.
DEFAULT_BATCH_MAX_BYTES = 900_000


class ConfigError(ValueError):
    """The function is deployed with an unusable environment."""


@dataclass(frozen=True)
class Config:
    inlet_url: str
    secret_arn: str
    ims_org_id: str
    dataset_id: str
    schema_id: str
    sandbox_name: str = "prod"
    schema_content_type: str = DEFAULT_SCHEMA_CONTENT_TYPE
    source_name: str = DEFAULT_SOURCE_NAME
    flow_id: str | None = None
    xdm_template: dict | None = None
    batch_max_events: int = 100
    batch_max_bytes: int = DEFAULT_BATCH_MAX_BYTES
    max_attempts: int = 5
    backoff_base_seconds: float = 0.5
    backoff_max_seconds: float = 8.0
    http_timeout_seconds: float = 10.0
    events_prefix: str = ""
    checkpoint_prefix: str = "aep-forwarder/checkpoints/"
    rejected_prefix: str = "aep-forwarder/rejected/"
    log_level: str = "INFO"

    @property
    def template(self) -> dict:
        return self.xdm_template if self.xdm_template is not None else DEFAULT_XDM_TEMPLATE

    @property
    def state_prefixes(self) -> tuple[str, str]:
        return (self.checkpoint_prefix, self.rejected_prefix)


def load(environ: dict[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ

    def required(name: str) -> str:
        value = env.get(name, "").strip()
        if not value:
            raise ConfigError(f"{name} is required")
        return value

    inlet_url = required("AEP_INLET_URL")
    # Plain http only to loopback (a local stand-in for AEP in tests).
    if not inlet_url.startswith(("https://", "http://127.0.0.1:", "http://localhost:")):
        raise ConfigError("AEP_INLET_URL must be an https:// URL")
    template = None
    if env.get("XDM_TEMPLATE", "").strip():
        try:
            template = json.loads(env["XDM_TEMPLATE"])
        except json.JSONDecodeError as error:
            raise ConfigError(f"XDM_TEMPLATE is not JSON: {error.msg}") from None
        if not isinstance(template, dict):
            raise ConfigError("XDM_TEMPLATE must be a JSON object")
    checkpoint_prefix = env.get("CHECKPOINT_PREFIX", "aep-forwarder/checkpoints/")
    rejected_prefix = env.get("REJECTED_PREFIX", "aep-forwarder/rejected/")
    if not checkpoint_prefix or not rejected_prefix:
        raise ConfigError("CHECKPOINT_PREFIX and REJECTED_PREFIX must not be empty")
    return Config(
        inlet_url=inlet_url,
        secret_arn=required("AEP_SECRET_ARN"),
        ims_org_id=required("AEP_IMS_ORG_ID"),
        dataset_id=required("AEP_DATASET_ID"),
        schema_id=required("AEP_SCHEMA_ID"),
        sandbox_name=env.get("AEP_SANDBOX_NAME", "").strip() or "prod",
        schema_content_type=env.get("AEP_SCHEMA_CONTENT_TYPE", "").strip()
        or DEFAULT_SCHEMA_CONTENT_TYPE,
        source_name=env.get("AEP_SOURCE_NAME", "").strip() or DEFAULT_SOURCE_NAME,
        flow_id=env.get("AEP_FLOW_ID", "").strip() or None,
        xdm_template=template,
        batch_max_events=_int(env, "BATCH_MAX_EVENTS", 100, 1, 500),
        batch_max_bytes=_int(env, "BATCH_MAX_BYTES", DEFAULT_BATCH_MAX_BYTES, 10_000, 1_000_000),
        max_attempts=_int(env, "MAX_ATTEMPTS", 5, 1, 10),
        backoff_base_seconds=_float(env, "BACKOFF_BASE_SECONDS", 0.5, 0.0, 30.0),
        backoff_max_seconds=_float(env, "BACKOFF_MAX_SECONDS", 8.0, 0.0, 300.0),
        http_timeout_seconds=_float(env, "HTTP_TIMEOUT_SECONDS", 10.0, 0.1, 60.0),
        events_prefix=env.get("EVENTS_PREFIX", ""),
        checkpoint_prefix=checkpoint_prefix,
        rejected_prefix=rejected_prefix,
        log_level=env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO",
    )


def _int(env, name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}")
    return value


def _float(env, name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}")
    return value
