"""The emulated SQS event source runs each concurrent invocation in its own environment."""

from __future__ import annotations

import threading
import time

import boto3
from harness.sqs_event_source import EventSource
from moto import mock_aws


def test_each_worker_gets_an_execution_environment_of_its_own(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="q")["QueueUrl"]
        for n in range(30):
            sqs.send_message(QueueUrl=url, MessageBody=str(n))
        lock = threading.Lock()
        instances: list[dict] = []
        overlaps = []

        def cold_start():
            state = {"busy": False, "records": 0}
            instances.append(state)

            def handler(event, context):
                with lock:
                    overlaps.append(state["busy"])
                    state["busy"] = True
                time.sleep(0.01)
                state["records"] += len(event["Records"])
                state["busy"] = False
                return {"batchItemFailures": []}

            return handler

        source = EventSource(
            sqs, url, None, batch_size=2, maximum_concurrency=3, wait_seconds=0,
            new_handler=cold_start,
        )  # fmt: skip
        done = lambda: sum(i["records"] for i in instances) >= 30  # noqa: E731
        source.run(done)
        left = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert len(instances) == 3
    assert not any(overlaps)  # an environment serves one invocation at a time
    assert sum(i["records"] for i in instances) == 30
    assert left["ApproximateNumberOfMessages"] == "0"
