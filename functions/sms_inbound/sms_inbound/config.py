"""Environment read once at cold start (set by modules/two_way)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from ajo_runtime import settings
from ajo_runtime.settings import ConfigError as ConfigError  # what load raises

from .keywords import Category, normalise

# Terraform's defaults, so a function deployed by other means behaves the same.
DEFAULT_KEYWORDS: dict[Category, tuple[str, ...]] = {
    Category.OPT_OUT: (
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "OPT-OUT",
        "REMOVE", "ARRET", "TD",
    ),
    Category.OPT_IN: ("START", "UNSTOP", "SUBSCRIBE", "RESUME", "BEGIN", "CONTINUE"),
    Category.HELP: ("HELP", "AIDE", "INFO"),
    Category.CUSTOM: (),
}  # fmt: skip
KEYWORD_VARIABLES = {
    Category.OPT_OUT: "OPT_OUT_KEYWORDS",
    Category.OPT_IN: "OPT_IN_KEYWORDS",
    Category.HELP: "HELP_KEYWORDS",
    Category.CUSTOM: "CUSTOM_KEYWORDS",
}
REPLY_VARIABLES = {
    Category.OPT_OUT: "OPT_OUT_REPLY",
    Category.OPT_IN: "OPT_IN_REPLY",
    Category.HELP: "HELP_REPLY",
}
DEFAULT_WEBHOOK_HEADER = "x-ajo-webhook-secret"


@dataclass(frozen=True)
class Config:
    table: str
    self_managed: bool = False
    opt_out_list: str | None = None
    # Normalised keyword -> its category (a keyword in two lists is refused).
    keywords: dict[str, Category] = field(default_factory=dict)
    replies: dict[Category, str] = field(default_factory=dict)
    configuration_set: str | None = None
    webhook_url: str | None = None
    webhook_secret_arn: str | None = None
    webhook_header: str = DEFAULT_WEBHOOK_HEADER
    events_stream: str | None = None
    max_attempts: int = 3
    http_timeout_seconds: float = 5.0
    log_level: str = "INFO"


def load(environ: Mapping[str, str] | None = None) -> Config:
    env = settings.environ(environ)
    self_managed = settings.boolean(env, "SELF_MANAGED_OPT_OUTS", False)
    opt_out_list = settings.text(env, "OPT_OUT_LIST_NAME") or None
    if self_managed and not opt_out_list:
        raise ConfigError("OPT_OUT_LIST_NAME is required when SELF_MANAGED_OPT_OUTS is true")
    webhook_url = settings.https_url(env, "AJO_INBOUND_WEBHOOK_URL", required_value=False)
    secret_arn = settings.text(env, "AJO_INBOUND_WEBHOOK_SECRET_ARN") or None
    if secret_arn and not webhook_url:
        raise ConfigError("AJO_INBOUND_WEBHOOK_SECRET_ARN is set without AJO_INBOUND_WEBHOOK_URL")
    return Config(
        table=settings.required(env, "INBOUND_TABLE"),
        self_managed=self_managed,
        opt_out_list=opt_out_list,
        keywords=_keywords(env),
        replies={c: env.get(name, "").strip() for c, name in REPLY_VARIABLES.items()},
        configuration_set=settings.text(env, "CONFIGURATION_SET_NAME") or None,
        webhook_url=webhook_url,
        webhook_secret_arn=secret_arn,
        webhook_header=settings.text(env, "AJO_INBOUND_WEBHOOK_HEADER", DEFAULT_WEBHOOK_HEADER),
        events_stream=settings.text(env, "EVENTS_STREAM_NAME") or None,
        max_attempts=settings.number(env, "MAX_ATTEMPTS", 3, 1, 10),
        http_timeout_seconds=settings.number(env, "HTTP_TIMEOUT_SECONDS", 5.0, 0.1, 30.0),
        log_level=settings.log_level(env),
    )


def _keywords(env: Mapping[str, str]) -> dict[str, Category]:
    found: dict[str, Category] = {}
    for category, name in KEYWORD_VARIABLES.items():
        for word in _word_list(env, name, DEFAULT_KEYWORDS[category]):
            key = normalise(word)
            if not key:
                raise ConfigError(f"{name} holds a keyword that is empty once normalised")
            if found.get(key, category) != category:
                raise ConfigError(
                    f"keyword {word!r} is in {name} and {KEYWORD_VARIABLES[found[key]]}"
                )
            found[key] = category
    return found


def _word_list(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        words = json.loads(raw)
    except json.JSONDecodeError:
        raise ConfigError(f"{name} must be a JSON array of strings") from None
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ConfigError(f"{name} must be a JSON array of strings")
    return tuple(words)
