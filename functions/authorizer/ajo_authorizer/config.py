"""Environment read once at cold start (see the README of modules/function for
how the root module sets these)."""

from __future__ import annotations

from dataclasses import dataclass

from ajo_runtime import settings
from ajo_runtime.settings import ConfigError as ConfigError  # what load raises

# Default life of the in-memory key cache. A rotated key is picked up within
# this many seconds; API Gateway's own authorizer result cache (also 300 s by
# default) sits in front, so the worst case for a key revoked in Secrets
# Manager is the sum. The module validates the same bounds at plan time.
DEFAULT_KEY_CACHE_TTL_SECONDS = 300
MAX_KEY_CACHE_TTL_SECONDS = 3600


@dataclass(frozen=True)
class Config:
    secret_arn: str
    key_cache_ttl_seconds: int
    log_level: str
    accept_previous: bool = True


def load(environ: dict[str, str] | None = None) -> Config:
    env = settings.environ(environ)
    return Config(
        secret_arn=settings.required(env, "API_KEY_SECRET_ARN"),
        key_cache_ttl_seconds=settings.number(
            env, "API_KEY_CACHE_TTL_SECONDS", DEFAULT_KEY_CACHE_TTL_SECONDS, 0,
            MAX_KEY_CACHE_TTL_SECONDS,
        ),
        log_level=settings.log_level(env),
        # false is the one-step revocation of a leaked previous key (README).
        accept_previous=settings.boolean(env, "API_KEY_ACCEPT_PREVIOUS", True),
    )  # fmt: skip
