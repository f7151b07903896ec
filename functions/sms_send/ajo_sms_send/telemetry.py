"""What the function tells CloudWatch: one JSON log line per event, with the metrics (EMF)
it carries.

Structured logs: one JSON object per line on stdout (CloudWatch Logs keeps each line).

Callers pass only safe values: masked numbers, error codes, IDs. Message bodies, API keys
and stack traces are never logged; an unexpected exception is logged by type and masked
text only.

What the send function and the dispatcher count, as EMF members of the log
line each request (or queued record) already prints (ajo_runtime.metrics).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

from ajo_runtime.metrics import Emf, append

# Logs --------------------------------------------------------------------------------------------

_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}
# One encoder for the process: json.dumps with options builds a new one per call.
_encode = json.JSONEncoder(separators=(",", ":"), default=str).encode


class JsonLog:
    def __init__(self, level: str = "INFO"):
        self._threshold = _LEVELS.get(level, 20)

    def log(self, level: str, event: str, fields: dict[str, Any], emf: str | None = None) -> None:
        """`emf`: an ajo_runtime.metrics fragment, appended to the line as members."""
        if _LEVELS[level] < self._threshold:
            return
        record = {"level": level, "event": event, **fields}
        # sys.stdout looked up per call: the Lambda runtime (and pytest) may replace it.
        sys.stdout.write(append(_encode(record), emf) + "\n")

    def info(self, event: str, **fields: Any) -> None:
        self.log("INFO", event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        self.log("WARNING", event, fields)

    def error(self, event: str, **fields: Any) -> None:
        self.log("ERROR", event, fields)


# Metrics -----------------------------------------------------------------------------------------

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
