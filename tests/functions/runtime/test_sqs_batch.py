"""PartialBatch: the one SQS partial-batch loop of the SQS-triggered functions."""

from __future__ import annotations

import logging
import time

import pytest
from ajo_runtime import sqs_batch


class Later(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Context:
    def __init__(self, remaining_ms: int):
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def lines():
    logger = logging.getLogger("test_sqs_batch")
    handler = Lines()
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, handler.records
    logger.removeHandler(handler)


def describe(error: Exception):
    if isinstance(error, Later):
        return logging.WARNING, sqs_batch.UNFINISHED, {"reason": error.reason}
    return None


def event(*ids: str) -> dict:
    return {"Records": [{"messageId": i, "body": i} for i in ids]}


def batch(handle, logger, safety=5.0):
    return sqs_batch.PartialBatch(handle, describe, lambda: Later("OUT_OF_TIME"), logger, safety)


def test_only_the_failed_records_are_reported_each_with_its_line(lines):
    logger, records = lines
    handled = []

    def handle(record, deadline, log):
        handled.append(record["messageId"])
        log["step"] = record["body"]
        if record["body"] == "later":
            raise Later("BUSY")
        if record["body"] == "bug":
            raise KeyError("x")

    answer = batch(handle, logger)(event("ok", "later", "bug", "ok2"), Context(60_000))

    assert handled == ["ok", "later", "bug", "ok2"]  # a failure stops no other record
    assert answer == {"batchItemFailures": [{"itemIdentifier": "later"}, {"itemIdentifier": "bug"}]}
    got = [(r.levelno, r.getMessage(), r.messageId, r.step) for r in records]
    assert got == [
        (logging.WARNING, sqs_batch.UNFINISHED, "later", "later"),
        (logging.ERROR, "message failed", "bug", "bug"),
    ]
    assert records[0].reason == "BUSY" and records[1].errorType == "KeyError"


def test_a_failure_the_handler_reported_is_not_logged_again(lines):
    logger, records = lines

    def handle(record, deadline, log):
        raise sqs_batch.Reported

    answer = batch(handle, logger)(event("a"), Context(60_000))
    assert answer == {"batchItemFailures": [{"itemIdentifier": "a"}]}
    assert records == []


def test_no_record_starts_after_the_deadline(lines):
    logger, records = lines
    handled = []
    answer = batch(lambda record, deadline, log: handled.append(record), logger)(
        event("a", "b"), Context(0)
    )
    assert handled == []
    assert answer == {"batchItemFailures": [{"itemIdentifier": "a"}, {"itemIdentifier": "b"}]}
    assert [(r.getMessage(), r.reason) for r in records] == [
        (sqs_batch.UNFINISHED, "OUT_OF_TIME")
    ] * 2


def test_the_handler_gets_the_deadline_less_the_safety_margin(lines):
    logger, _ = lines
    deadlines = []
    start = time.monotonic()
    batch(lambda record, deadline, log: deadlines.append(deadline), logger, safety=10.0)(
        event("a"), Context(60_000)
    )
    assert start + 50 <= deadlines[0] <= time.monotonic() + 50


def test_an_event_without_records_fails_nothing(lines):
    logger, records = lines
    assert batch(lambda *_: None, logger)({}, None) == {"batchItemFailures": []}
    assert records == []
