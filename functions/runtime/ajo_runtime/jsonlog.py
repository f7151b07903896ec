"""One JSON object per log line, so CloudWatch Logs Insights can filter on
fields. Callers pass only non-secret fields: this module never sees a token."""

from __future__ import annotations

import json
import logging
import sys
import time

from . import metrics

_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({})).keys()) | {
    "message",
    "asctime",
    "aws_request_id",
    "emf",  # an ajo_runtime.metrics fragment, appended as members
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "aws_request_id", None)
        if request_id:
            line["requestId"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and key not in line and value is not None:
                line[key] = value
        # Exception type only: a traceback could echo local values.
        if record.exc_info and record.exc_info[0] is not None:
            line["errorType"] = record.exc_info[0].__name__
        text = json.dumps(line, default=str, separators=(",", ":"))
        return metrics.append(text, getattr(record, "emf", None))


class _StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is at emit time (Lambda, or a test's capture)."""

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value):
        pass


def configure(name: str, level: str = "INFO") -> logging.Logger:
    """Route the records of logger `name` (the function's package) through a
    JSON formatter on stdout.

    Lambda's Python runtime installs its own root handler; ours is attached to
    the package logger with propagation off, so each record is written once,
    as JSON, whatever the function's log format setting is."""
    logger = logging.getLogger(name)
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = _StdoutHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.setLevel(level)
    except ValueError:
        logger.setLevel(logging.INFO)
        logger.warning("unknown LOG_LEVEL, using INFO", extra={"logLevel": level})
    return logger
