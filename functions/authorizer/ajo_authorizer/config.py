"""Environment read once at cold start (see the README of modules/function for
how the root module sets these)."""

from __future__ import annotations

import os
from dataclasses import dataclass

# Default life of the in-memory key cache. A rotated key is picked up within
# this many seconds; API Gateway's own authorizer result cache (also 300 s by
# default) sits in front, so the worst case for a key revoked in Secrets
# Manager is the sum. The module validates the same bounds at plan time.
DEFAULT_KEY_CACHE_TTL_SECONDS = 300
MAX_KEY_CACHE_TTL_SECONDS = 3600


class ConfigError(ValueError):
    """The function is deployed with an unusable environment."""


@dataclass(frozen=True)
class Config:
    secret_arn: str
    key_cache_ttl_seconds: int
    log_level: str
    accept_previous: bool = True


def load(environ: dict[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ
    secret_arn = env.get("API_KEY_SECRET_ARN", "").strip()
    if not secret_arn:
        raise ConfigError("API_KEY_SECRET_ARN is not set")
    raw_ttl = env.get("API_KEY_CACHE_TTL_SECONDS", "").strip()
    ttl = DEFAULT_KEY_CACHE_TTL_SECONDS
    if raw_ttl:
        try:
            ttl = int(raw_ttl)
        except ValueError:
            raise ConfigError("API_KEY_CACHE_TTL_SECONDS must be an integer") from None
        if not 0 <= ttl <= MAX_KEY_CACHE_TTL_SECONDS:
            raise ConfigError(
                f"API_KEY_CACHE_TTL_SECONDS must be between 0 and {MAX_KEY_CACHE_TTL_SECONDS}"
            )
    log_level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    # "false" is the one-step revocation of a leaked previous key (README).
    raw_previous = env.get("API_KEY_ACCEPT_PREVIOUS", "true").strip().lower() or "true"
    if raw_previous not in ("true", "false"):
        raise ConfigError("API_KEY_ACCEPT_PREVIOUS must be true or false")
    return Config(
        secret_arn=secret_arn,
        key_cache_ttl_seconds=ttl,
        log_level=log_level,
        accept_previous=raw_previous == "true",
    )
