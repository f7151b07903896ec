"""What the send function and the dispatcher count, as EMF members of the log
line each request (or queued record) already prints (ajo_runtime.metrics)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ajo_runtime.metrics import Emf

REQUEST_METRICS = (
    "Requests", "Sent", "Queued", "Rejected", "Throttled", "Failed", "IdempotentReplays",
    "Segments",
)  # fmt: skip
DISPATCH_METRICS = ("Dispatched", "Expired", "Rejected", "Throttled", "Unknown", "Segments")


def request_emf(env: Mapping[str, str]) -> Emf:
    return Emf(REQUEST_METRICS, env)


def dispatch_emf(env: Mapping[str, str]) -> Emf:
    return Emf(DISPATCH_METRICS, env)


def request_values(fields: Mapping[str, Any]) -> tuple[str, dict[str, int]]:
    """(Code, values) of one request from its log fields: the HTTP status, the error
    code, whether it was a dry run or an idempotent replay, its parts."""
    status = fields.get("status", 500)
    replay = fields.get("idempotency") == "replay"
    values = {"Requests": 1, "IdempotentReplays": int(replay)}
    if status == 200 and fields.get("dryRun"):
        return "DRY_RUN", values
    if status in (200, 202):
        kind = "Sent" if status == 200 else "Queued"
        if not replay:  # a replay sent (or queued) nothing new
            values[kind] = 1
            values["Segments"] = fields.get("segments", 0)
        return kind.upper(), values
    if status == 429:
        values["Throttled"] = 1
    elif status >= 500:
        values["Failed"] = 1
    else:
        values["Rejected"] = 1
    return fields.get("code") or f"HTTP_{status}", values


_DISPATCH_OUTCOMES = {"sent": "Dispatched", "expired": "Expired", "rejected": "Rejected",
                      "throttled": "Throttled", "unknown": "Unknown"}  # fmt: skip


def dispatch_values(outcome: str, fields: Mapping[str, Any]) -> tuple[str, dict[str, int]]:
    """(Code, values) of one queued record's outcome (dispatch.py's outcome names)."""
    metric = _DISPATCH_OUTCOMES.get(outcome)
    values = {metric: 1} if metric else {}
    if outcome == "sent":
        values["Segments"] = fields.get("segments", 0)
    return fields.get("code") or outcome.upper(), values
