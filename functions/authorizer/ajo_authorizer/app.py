"""Cold-start wiring: environment -> Secrets Manager client -> key store -> authorizer."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from ajo_runtime import aws, jsonlog

from . import config
from .authorizer import Authorizer, Unavailable
from .keys import KeyStore, KeysUnavailable

# Short timeouts: a slow Secrets Manager must fail fast (and closed) with a
# logged, retryable 5xx well inside the function's timeout (5 s by default):
# two attempts of at most 1 s connect + 1 s read, plus one backoff (< 1 s).
CLIENT_CONFIG = {
    "connect_timeout": 1,
    "read_timeout": 1,
    "retries": {"mode": "standard", "total_max_attempts": 2},
}

Authorize = Callable[..., dict]
LOGGER_NAME = "ajo_authorizer"


def build(environ: dict[str, str] | None = None, client=None, clock=time.monotonic) -> Authorize:
    try:
        cfg = config.load(environ)
    except config.ConfigError as error:
        return _misconfigured(jsonlog.configure(LOGGER_NAME), str(error))
    logger = jsonlog.configure(LOGGER_NAME, cfg.log_level)
    if client is None:
        client = _secrets_client(cfg.secret_arn)
    store = KeyStore(
        client,
        cfg.secret_arn,
        cfg.key_cache_ttl_seconds,
        clock,
        accept_previous=cfg.accept_previous,
    )
    try:
        store.accepted()  # fill the cache during init, when Lambda gives the most CPU
    except KeysUnavailable as failure:
        logger.error(
            "api keys unavailable at cold start, will retry on first request",
            extra={"reason": failure.reason, "errorCode": failure.error_code},
        )
    return Authorizer(store, logger)


def _secrets_client(secret_arn: str):
    # The secret's own region (from its ARN) beats the function's default.
    return aws.client("secretsmanager", aws.region_of(secret_arn), **CLIENT_CONFIG)


def _misconfigured(logger: logging.Logger, problem: str) -> Authorize:
    # A deployment fault, not a wrong key: a 5xx (AJO retries), never a 401.
    def unavailable(event: dict, request_id: str | None = None) -> dict:
        logger.error(
            "authorizer misconfigured, answering 5xx",
            extra={"reason": problem, "aws_request_id": request_id},
        )
        raise Unavailable()

    logger.error("authorizer misconfigured", extra={"reason": problem})
    return unavailable
