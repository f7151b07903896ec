"""moto's SQS without its per-message cost in the queue's length: same API, same answers.

For each message it receives, moto 5.2 recomputes every queue attribute, three of them by
scanning the whole queue and reading the clock through datetime arithmetic per message,
just to read the retention period. A receive from a queue of 2,000 messages costs about
2 s of CPU where SQS's is constant time, so a benchmark draining a backlog would measure
moto. `fast_sqs()` reads the retention period off the queue and the clock with
time.time() (the value moto computes, without the datetimes); tests/bench check both
against moto's own.

As a server (harness.moto_server.moto_process): python -m harness.moto_fast_sqs -H HOST -p PORT
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from datetime import datetime


def unix_time(dt: datetime | None = None) -> float:
    from moto.core import utils

    return time.time() if dt is None else utils.unix_time(dt)


def unix_time_millis(dt: datetime | None = None) -> float:
    return unix_time(dt) * 1000.0


def is_message_valid_based_on_retention_period(self, queue_name: str, message) -> bool:
    queue = self.get_queue(queue_name)
    return queue.message_retention_period + message.sent_timestamp / 1000 > unix_time()


@contextlib.contextmanager
def fast_sqs() -> Iterator[None]:
    from moto.sqs import models

    saved = (
        models.unix_time,
        models.unix_time_millis,
        models.SQSBackend.is_message_valid_based_on_retention_period,
    )
    models.unix_time, models.unix_time_millis = unix_time, unix_time_millis
    models.SQSBackend.is_message_valid_based_on_retention_period = (
        is_message_valid_based_on_retention_period
    )
    try:
        yield
    finally:
        (
            models.unix_time,
            models.unix_time_millis,
            models.SQSBackend.is_message_valid_based_on_retention_period,
        ) = saved


if __name__ == "__main__":
    from moto.server import main

    with fast_sqs():
        main(sys.argv[1:])
