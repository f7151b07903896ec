"""Environment variables parsed once at cold start into checked values.

The module validates the same bounds at plan time; these checks catch a
function deployed by other means, and say which variable is wrong."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Mapping

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})


class ConfigError(ValueError):
    """The function is deployed with an unusable environment."""


def environ(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} is required")
    return value


def text(env: Mapping[str, str], name: str, default: str = "") -> str:
    return env.get(name, "").strip() or default


def number(env: Mapping[str, str], name: str, default, low, high):
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


def boolean(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in ("true", "false"):
        raise ConfigError(f"{name} must be true or false")
    return raw == "true"


def log_level(env: Mapping[str, str]) -> str:
    return env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"


def https_url(env: Mapping[str, str], name: str, required_value: bool = True) -> str | None:
    """An https:// URL; plain http only to loopback (a local stand-in in tests)."""
    url = env.get(name, "").strip()
    if not url:
        if required_value:
            raise ConfigError(f"{name} is required")
        return None
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https" and not (parts.scheme == "http" and host in LOOPBACK_HOSTS):
        raise ConfigError(f"{name} must be an https:// URL")
    return url
