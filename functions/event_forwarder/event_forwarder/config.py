"""Environment read once at cold start (set by modules/event_export): the
settings every target shares, and one section per target (at least one)."""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass

from ajo_runtime import settings
from ajo_runtime.settings import ConfigError as ConfigError  # what load raises

from .target import Prefixes

DEFAULT_SCHEMA_CONTENT_TYPE = "application/vnd.adobe.xed-full+json;version=1"
DEFAULT_SOURCE_NAME = "aws-end-user-messaging-sms"
ADOBE_INLET_DOMAIN = ".adobedc.net"  # dcs.adobedc.net and its regional hosts

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


FEEDBACK_PREFIXES = Prefixes(
    "ajo-feedback/checkpoints/", "ajo-feedback/rejected/", "ajo-feedback/unknown/"
)
DEFAULT_FEEDBACK_HEADER = "x-ajo-webhook-secret"
DEFAULT_CLIENT_REFERENCE_KEY = "clientReference"
# An HTTP header name (RFC 9110 token).
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
# Set only for AEP: one of them without AEP_INLET_URL is a half-configured AEP.
_AEP_ONLY = ("AEP_SECRET_ARN", "AEP_IMS_ORG_ID", "AEP_DATASET_ID", "AEP_SCHEMA_ID")


@dataclass(frozen=True)
class AepConfig:
    """The AEP target: on when AEP_INLET_URL is set."""

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
    checkpoint_prefix: str = "aep-forwarder/checkpoints/"
    rejected_prefix: str = "aep-forwarder/rejected/"
    unknown_prefix: str = "aep-forwarder/unknown/"

    @property
    def template(self) -> dict:
        return self.xdm_template if self.xdm_template is not None else DEFAULT_XDM_TEMPLATE

    @property
    def prefixes(self) -> Prefixes:
        return Prefixes(self.checkpoint_prefix, self.rejected_prefix, self.unknown_prefix)


@dataclass(frozen=True)
class FeedbackConfig:
    """The AJO SMS feedback webhook target: on when AJO_FEEDBACK_WEBHOOK_URL is set."""

    webhook_url: str
    secret_arn: str | None = None  # its SecretString is the header's value
    header: str = DEFAULT_FEEDBACK_HEADER
    client_reference_key: str = DEFAULT_CLIENT_REFERENCE_KEY
    prefixes: Prefixes = FEEDBACK_PREFIXES


@dataclass(frozen=True)
class Config:
    aep: AepConfig | None = None
    feedback: FeedbackConfig | None = None
    batch_max_events: int = 100
    batch_max_bytes: int = DEFAULT_BATCH_MAX_BYTES
    max_attempts: int = 5
    backoff_base_seconds: float = 0.5
    backoff_max_seconds: float = 8.0
    http_timeout_seconds: float = 10.0
    events_prefix: str = ""
    log_level: str = "INFO"

    @property
    def state_prefixes(self) -> tuple[str, ...]:
        """Every enabled target's own keys (never forwarded as events)."""
        targets = (self.aep, self.feedback)
        return tuple(p for t in targets if t is not None for p in t.prefixes.all())


def load(environ: dict[str, str] | None = None) -> Config:
    env = settings.environ(environ)
    aep, feedback = _load_aep(env), _load_feedback(env)
    if aep is None and feedback is None:
        raise ConfigError(
            "no target: set AEP_INLET_URL (AEP) and/or AJO_FEEDBACK_WEBHOOK_URL (AJO feedback)"
        )
    return Config(
        aep=aep,
        feedback=feedback,
        batch_max_events=settings.number(env, "BATCH_MAX_EVENTS", 100, 1, 500),
        batch_max_bytes=settings.number(
            env, "BATCH_MAX_BYTES", DEFAULT_BATCH_MAX_BYTES, 10_000, 1_000_000
        ),
        max_attempts=settings.number(env, "MAX_ATTEMPTS", 5, 1, 10),
        backoff_base_seconds=settings.number(env, "BACKOFF_BASE_SECONDS", 0.5, 0.0, 30.0),
        backoff_max_seconds=settings.number(env, "BACKOFF_MAX_SECONDS", 8.0, 0.0, 300.0),
        http_timeout_seconds=settings.number(env, "HTTP_TIMEOUT_SECONDS", 10.0, 0.1, 60.0),
        events_prefix=env.get("EVENTS_PREFIX", ""),
        log_level=settings.log_level(env),
    )


def _load_aep(env) -> AepConfig | None:
    if not env.get("AEP_INLET_URL", "").strip():
        if any(env.get(name, "").strip() for name in _AEP_ONLY):
            raise ConfigError(
                f"AEP_INLET_URL is required when one of {', '.join(_AEP_ONLY)} is set"
            )
        return None
    inlet_url = settings.https_url(env, "AEP_INLET_URL")
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
        name: env.get(name.upper(), getattr(AepConfig, name))
        for name in ("checkpoint_prefix", "rejected_prefix", "unknown_prefix")
    }
    if not all(prefixes.values()):
        raise ConfigError("CHECKPOINT_PREFIX, REJECTED_PREFIX and UNKNOWN_PREFIX must not be empty")
    return AepConfig(
        inlet_url=inlet_url,
        secret_arn=settings.required(env, "AEP_SECRET_ARN"),
        ims_org_id=settings.required(env, "AEP_IMS_ORG_ID"),
        dataset_id=settings.required(env, "AEP_DATASET_ID"),
        schema_id=settings.required(env, "AEP_SCHEMA_ID"),
        sandbox_name=env.get("AEP_SANDBOX_NAME", "").strip() or "prod",
        schema_content_type=env.get("AEP_SCHEMA_CONTENT_TYPE", "").strip()
        or DEFAULT_SCHEMA_CONTENT_TYPE,
        source_name=env.get("AEP_SOURCE_NAME", "").strip() or DEFAULT_SOURCE_NAME,
        flow_id=env.get("AEP_FLOW_ID", "").strip() or None,
        xdm_template=template,
        **prefixes,
    )


def _load_feedback(env) -> FeedbackConfig | None:
    url = settings.https_url(env, "AJO_FEEDBACK_WEBHOOK_URL", required_value=False)
    secret_arn = settings.text(env, "AJO_FEEDBACK_WEBHOOK_SECRET_ARN") or None
    if url is None:
        if secret_arn:
            raise ConfigError(
                "AJO_FEEDBACK_WEBHOOK_URL is required when AJO_FEEDBACK_WEBHOOK_SECRET_ARN is set"
            )
        return None
    if secret_arn and not secret_arn.startswith("arn:"):
        raise ConfigError("AJO_FEEDBACK_WEBHOOK_SECRET_ARN must be an ARN")
    header = settings.text(env, "AJO_FEEDBACK_WEBHOOK_HEADER", DEFAULT_FEEDBACK_HEADER)
    if not _HEADER_NAME.match(header):
        raise ConfigError("AJO_FEEDBACK_WEBHOOK_HEADER must be an HTTP header name")
    return FeedbackConfig(
        webhook_url=url,
        secret_arn=secret_arn,
        header=header,
        client_reference_key=settings.text(
            env, "CLIENT_REFERENCE_KEY", DEFAULT_CLIENT_REFERENCE_KEY
        ),
    )


def _check_inlet(url: str, allowed_host: str) -> None:
    """Events go to Adobe's inlet host, or to the one other host the operator named."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if not (host.endswith(ADOBE_INLET_DOMAIN) or (allowed_host and host == allowed_host)):
        raise ConfigError(
            f"AEP_INLET_URL host must end with {ADOBE_INLET_DOMAIN} (or be AEP_INLET_ALLOWED_HOST)"
        )
