"""API Gateway proxy responses in the contract's shapes."""

from __future__ import annotations

import json
from typing import Any

from .channels import Parts
from .errors import ApiError

# One encoder for the process: json.dumps with options builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _response(status: int, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": headers,
        "body": _encode(body),
        "isBase64Encoded": False,
    }


def _describe(body: dict[str, Any], channel: str, parts: Parts) -> None:
    """`channel`, then `segments` / `encoding` only where they mean something (SMS both,
    MMS segments 1, VOICE neither)."""
    body["channel"] = channel
    if parts.segments is not None:
        body["segments"] = parts.segments
    if parts.encoding is not None:
        body["encoding"] = parts.encoding


def sent(
    status: str,
    message_id: str,
    destination: str,
    channel: str,
    parts: Parts,
    replay: bool = False,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": status,
        "messageId": message_id,
        "destinationNumber": destination,
    }
    _describe(body, channel, parts)
    body["idempotentReplay"] = replay
    return _response(200, body, {"Content-Type": "application/json"})


def queued(
    tracking_id: str,
    destination: str,
    channel: str,
    parts: Parts,
    replay: bool = False,
    message_id: str | None = None,
) -> dict[str, Any]:
    """202: accepted for paced delivery (docs/DELIVERY.md); messageId once it was sent."""
    body: dict[str, Any] = {
        "status": "QUEUED",
        "trackingId": tracking_id,
        "destinationNumber": destination,
    }
    _describe(body, channel, parts)
    body["idempotentReplay"] = replay
    if message_id:
        body["messageId"] = message_id
    return _response(202, body, {"Content-Type": "application/json"})


def error(err: ApiError, request_id: str | None) -> dict[str, Any]:
    """The contract's error body plus API Gateway's requestId (null when the event has
    none), the field API Gateway's own error bodies carry (modules/api/responses.tf)."""
    headers = {"Content-Type": "application/json"}
    if err.retry_after is not None:
        headers["Retry-After"] = str(err.retry_after)
    return _response(err.status, {**err.body(), "requestId": request_id}, headers)
