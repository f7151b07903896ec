"""Environment parsing (read once at cold start)."""

from __future__ import annotations

import pytest
from ajo_authorizer import config

ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k-AbCdEf"


def test_defaults():
    cfg = config.load({"API_KEY_SECRET_ARN": ARN})
    assert cfg.secret_arn == ARN
    assert cfg.key_cache_ttl_seconds == config.DEFAULT_KEY_CACHE_TTL_SECONDS == 300
    assert cfg.log_level == "INFO"
    assert cfg.accept_previous is True


def test_ttl_and_log_level_are_read():
    environ = {"API_KEY_SECRET_ARN": ARN, "API_KEY_CACHE_TTL_SECONDS": "60", "LOG_LEVEL": "debug"}
    cfg = config.load(environ)
    assert (cfg.key_cache_ttl_seconds, cfg.log_level) == (60, "DEBUG")


@pytest.mark.parametrize(
    ("raw", "expected"), [("false", False), (" FALSE ", False), ("true", True), ("", True)]
)
def test_accept_previous_is_read(raw, expected):
    cfg = config.load({"API_KEY_SECRET_ARN": ARN, "API_KEY_ACCEPT_PREVIOUS": raw})
    assert cfg.accept_previous is expected


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({}, "API_KEY_SECRET_ARN is required"),
        ({"API_KEY_SECRET_ARN": "  "}, "API_KEY_SECRET_ARN is required"),
        ({"API_KEY_SECRET_ARN": ARN, "API_KEY_CACHE_TTL_SECONDS": "5m"}, "must be an integer"),
        ({"API_KEY_SECRET_ARN": ARN, "API_KEY_CACHE_TTL_SECONDS": "-1"}, "between 0 and 3600"),
        ({"API_KEY_SECRET_ARN": ARN, "API_KEY_CACHE_TTL_SECONDS": "3601"}, "between 0 and 3600"),
        ({"API_KEY_SECRET_ARN": ARN, "API_KEY_CACHE_TTL_SECONDS": "1.5"}, "must be an integer"),
        ({"API_KEY_SECRET_ARN": ARN, "API_KEY_ACCEPT_PREVIOUS": "0"}, "must be true or false"),
    ],
)
def test_unusable_environment_is_refused(environ, problem):
    with pytest.raises(config.ConfigError, match=problem):
        config.load(environ)
