"""Lambda's SQS event source mapping, emulated against a real SQS API (moto in tests).

What the dispatcher sees and what happens to its answer are Lambda's:
- pollers ReceiveMessage up to `batch_size` records (long poll 1 s), each record shaped as
  Lambda's SQS event (messageId, receiptHandle, body, attributes with
  ApproximateReceiveCount, eventSource, eventSourceARN, awsRegion);
- at most `maximum_concurrency` invocations run at once (the mapping's MaximumConcurrency),
  each in an execution environment of its own that serves one invocation at a time
  (`new_handler` cold-starts one per worker; without it the workers share `handler`);
- the invocation gets a context whose remaining time counts down from `function_timeout`;
- on return, the records not listed in `batchItemFailures` are deleted (DeleteMessageBatch);
  listed ones, and the whole batch if the handler raises or names an unknown identifier,
  stay in flight until the queue's visibility timeout makes them visible again, counting
  a receive each time (the queue's redrive policy moves them to the DLQ at maxReceiveCount).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any


class LambdaContext:
    def __init__(self, timeout: float):
        self.aws_request_id = str(uuid.uuid4())
        self._deadline = time.monotonic() + timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(int((self._deadline - time.monotonic()) * 1000), 0)


def sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": dict(m.get("Attributes") or {}),
                "messageAttributes": {},
                "md5OfBody": m.get("MD5OfBody"),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for m in messages
        ]
    }


class EventSource:
    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        handler: Callable[[dict, Any], Any],
        batch_size: int = 10,
        maximum_concurrency: int = 2,
        function_timeout: float = 60.0,
        wait_seconds: int = 1,
        new_handler: Callable[[], Callable[[dict, Any], Any]] | None = None,
    ):
        self._sqs = sqs
        self._url = queue_url
        self._handler = handler
        # Cold-started here, in turn: loading a function sets os.environ for a moment.
        self._handlers = [new_handler() for _ in range(maximum_concurrency)] if new_handler else []
        self.batch_size = batch_size
        self.maximum_concurrency = maximum_concurrency
        self.function_timeout = function_timeout
        self._wait = wait_seconds
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
        self._arn = attributes["Attributes"]["QueueArn"]
        self._region = self._arn.split(":")[3]
        self.invocations = 0
        self.errors = 0  # invocations that raised
        self._lock = threading.Lock()

    def poll_once(self, handler: Callable[[dict, Any], Any] | None = None) -> int:
        """One receive + invoke + delete; returns the number of records received."""
        answer = self._sqs.receive_message(
            QueueUrl=self._url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=self._wait,
            AttributeNames=["All"],
        )
        messages = answer.get("Messages") or []
        if not messages:
            return 0
        event = sqs_event(messages, self._arn, self._region)
        with self._lock:
            self.invocations += 1
        try:
            result = (handler or self._handler)(event, LambdaContext(self.function_timeout))
        except Exception:
            with self._lock:
                self.errors += 1
            return len(messages)  # nothing deleted: the visibility timeout brings them back
        failed = {f.get("itemIdentifier") for f in (result or {}).get("batchItemFailures") or []}
        known = {m["MessageId"] for m in messages}
        if not failed <= known:
            return len(messages)  # Lambda treats an unknown identifier as a failed batch
        done = [m for m in messages if m["MessageId"] not in failed]
        for start in range(0, len(done), 10):
            self._sqs.delete_message_batch(
                QueueUrl=self._url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                    for i, m in enumerate(done[start : start + 10])
                ],
            )
        return len(messages)

    def run(self, until: Callable[[], bool]) -> None:
        """Poll with `maximum_concurrency` workers until `until()` is true."""

        def worker(handler: Callable[[dict, Any], Any]) -> None:
            while not until():
                self.poll_once(handler)

        handlers = self._handlers or [self._handler] * self.maximum_concurrency
        threads = [threading.Thread(target=worker, args=(h,)) for h in handlers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
