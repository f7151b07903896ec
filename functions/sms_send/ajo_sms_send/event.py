"""API Gateway REST proxy event (payload format 1.0) -> the request's JSON object."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from .errors import INVALID_JSON, bad_request

# API Gateway caps payloads at 10 MB; a valid request is a few KB. Refuse early rather
# than spend the function's time and memory decoding megabytes.
MAX_BODY_BYTES = 256 * 1024
# API Gateway's request IDs are UUIDs; anything else in an event (a hand-made test event)
# is not echoed, so a response carries no arbitrary text from it.
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9_=+/-]{1,128}")


def gateway_request_id(event: Any) -> str | None:
    """event.requestContext.requestId, or None when the event has no usable one."""
    gateway = event.get("requestContext") if isinstance(event, dict) else None
    value = gateway.get("requestId") if isinstance(gateway, dict) else None
    if isinstance(value, str) and _REQUEST_ID_RE.fullmatch(value):
        return value
    return None


def parse_body(event: Any) -> dict[str, Any]:
    if not isinstance(event, dict):
        raise bad_request(INVALID_JSON, "the event is not an API Gateway proxy request")
    body = event.get("body")
    if body is None or body == "":
        raise bad_request(INVALID_JSON, "the request body is empty; send a JSON object")
    if not isinstance(body, str):
        raise bad_request(INVALID_JSON, "the request body is not text")
    if len(body) > MAX_BODY_BYTES * 2:
        raise bad_request(INVALID_JSON, "the request body is too large")
    if event.get("isBase64Encoded") is True:
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise bad_request(INVALID_JSON, "the request body is not valid base64") from None
    else:
        raw = body
    if len(raw) > MAX_BODY_BYTES:
        raise bad_request(INVALID_JSON, "the request body is too large")
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise bad_request(INVALID_JSON, "the request body is not UTF-8") from None
    except RecursionError:
        raise bad_request(INVALID_JSON, "the request body is nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        raise bad_request(INVALID_JSON, f"the request body is not valid JSON{where}") from None
    if not isinstance(data, dict):
        raise bad_request(INVALID_JSON, "the request body must be a JSON object")
    return data
