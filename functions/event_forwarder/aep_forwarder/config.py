"""Environment read once at cold start (set by modules/event_export)."""

from __future__ import annotations

import json
import os
import urllib.parse
from dataclasses import dataclass

DEFAULT_SCHEMA_CONTENT_TYPE = "application/vnd.adobe.xed-full+json;version=1"
DEFAULT_SOURCE_NAME = "aws-end-user-messaging-sms"
ADOBE_INLET_DOMAIN = ".adobedc.net"  # dcs.adobedc.net and its regional hosts
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})

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
    unknown_prefix: str = "aep-forwarder/unknown/"
    log_level: str = "INFO"

    @property
    def template(self) -> dict:
        return self.xdm_template if self.xdm_template is not None else DEFAULT_XDM_TEMPLATE

    @property
    def state_prefixes(self) -> tuple[str, ...]:
        return (self.checkpoint_prefix, self.rejected_prefix, self.unknown_prefix)


def load(environ: dict[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ

    def required(name: str) -> str:
        value = env.get(name, "").strip()
        if not value:
            raise ConfigError(f"{name} is required")
        return value

    inlet_url = required("AEP_INLET_URL")
    _check_inlet(inlet_url, env.get("AEP_INLET_ALLOWED_HOST", "").strip().lower())
    template = None
    if env.get("XDM_TEMPLATE", "").strip():
        try:
            template = json.loads(env["XDM_TEMPLATE"])
        except json.JSONDecodeError as error:
            raise ConfigError(f"XDM_TEMPLATE is not JSON: {error.msg}") from None
        if not isinstance(template, dict):
            raise ConfigError("XDM_TEMPLATE must be a JSON object")
    prefixes = {
        name: env.get(name.upper(), getattr(Config, name))
        for name in ("checkpoint_prefix", "rejected_prefix", "unknown_prefix")
    }
    if not all(prefixes.values()):
        raise ConfigError("CHECKPOINT_PREFIX, REJECTED_PREFIX and UNKNOWN_PREFIX must not be empty")
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
        batch_max_events=_number(env, "BATCH_MAX_EVENTS", 100, 1, 500),
        batch_max_bytes=_number(env, "BATCH_MAX_BYTES", DEFAULT_BATCH_MAX_BYTES, 10_000, 1_000_000),
        max_attempts=_number(env, "MAX_ATTEMPTS", 5, 1, 10),
        backoff_base_seconds=_number(env, "BACKOFF_BASE_SECONDS", 0.5, 0.0, 30.0),
        backoff_max_seconds=_number(env, "BACKOFF_MAX_SECONDS", 8.0, 0.0, 300.0),
        http_timeout_seconds=_number(env, "HTTP_TIMEOUT_SECONDS", 10.0, 0.1, 60.0),
        events_prefix=env.get("EVENTS_PREFIX", ""),
        **prefixes,
        log_level=env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO",
    )


def _check_inlet(url: str, allowed_host: str) -> None:
    """Events go to Adobe's inlet host, or to the one other host the operator
    named; plain http only to loopback (a local stand-in for AEP in tests)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https" and not (parts.scheme == "http" and host in LOOPBACK_HOSTS):
        raise ConfigError("AEP_INLET_URL must be an https:// URL")
    if not (host.endswith(ADOBE_INLET_DOMAIN) or (allowed_host and host == allowed_host)):
        raise ConfigError(
            f"AEP_INLET_URL host must end with {ADOBE_INLET_DOMAIN} (or be AEP_INLET_ALLOWED_HOST)"
        )


def _number(env, name: str, default, low, high):
    """The setting as the type of `default` (int or float), within [low, high]."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    kind = type(default)
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name} must be {'an integer' if kind is int else 'a number'}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}")
    return value
