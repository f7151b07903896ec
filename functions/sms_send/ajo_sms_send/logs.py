"""Structured logs: one JSON object per line on stdout (CloudWatch Logs keeps each line).

Callers pass only safe values: masked numbers, error codes, IDs. Message bodies, API keys
and stack traces are never logged; an unexpected exception is logged by type and masked
text only.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ajo_runtime.metrics import append

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
