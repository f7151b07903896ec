"""The Lambda entry point, imported as the runtime does at cold start."""

from __future__ import annotations

import pytest
from event_forwarder import xdm
from harness.forwarder_testkit import (
    MALFORMED_NOTIFICATIONS,
    LambdaContext,
    events_key,
    gzip_lines,
    sms_event,
    sqs_event,
)


def test_handler_forwards_an_sqs_batch(pipeline, fake_aep, load_handler):
    module = load_handler(pipeline.environ())
    events = [sms_event(i) for i in range(3)]
    pipeline.put(events_key(), gzip_lines(events))
    messages = pipeline.receive()

    result = module.handler(sqs_event(messages, pipeline.queue_arn), LambdaContext())

    assert result == {"batchItemFailures": []}
    assert len(fake_aep.accepted_ids()) == 3


def test_only_the_failed_object_is_reported(pipeline, fake_aep, load_handler):
    module = load_handler(pipeline.environ(MAX_ATTEMPTS=1))
    pipeline.put(events_key("ok"), gzip_lines([sms_event(1)]))
    pipeline.put(events_key("bad"), gzip_lines([sms_event(2)]))
    messages = pipeline.receive()
    bad = next(m for m in messages if "bad" in m["Body"])
    bad_id = xdm.event_id(sms_event(2))
    fake_aep.plan = [lambda batch: 503 if bad_id in str(batch) else None for _ in range(2)]

    result = module.handler(sqs_event(messages, pipeline.queue_arn), LambdaContext())

    assert result == {"batchItemFailures": [{"itemIdentifier": bad["MessageId"]}]}


def test_objects_outside_the_events_prefix_are_skipped(pipeline, fake_aep, load_handler):
    module = load_handler(pipeline.environ())
    body = (
        '{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},'
        '"object":{"key":"aep-forwarder/checkpoints/events/x.gz.json"}}}]}'
    )
    event = {"Records": [{"messageId": "m1", "body": body}]}
    assert module.handler(event, LambdaContext()) == {"batchItemFailures": []}
    assert fake_aep.batch_requests == []


@pytest.mark.parametrize(
    "body", MALFORMED_NOTIFICATIONS.values(), ids=MALFORMED_NOTIFICATIONS.keys()
)
def test_a_malformed_notification_fails_alone(make_pipeline, fake_aep, load_handler, body):
    """Partial batch response: the bad message is reported (and reaches the
    DLQ for inspection), the good ones of the same SQS batch are delivered."""
    pipeline = make_pipeline(max_receive_count=1)
    module = load_handler(pipeline.environ())
    events = [sms_event(i) for i in range(3)]
    pipeline.put(events_key("good-1"), gzip_lines(events[:2]))
    pipeline.aws.sqs.send_message(QueueUrl=pipeline.queue_url, MessageBody=body)
    pipeline.put(events_key("good-2"), gzip_lines(events[2:]))
    messages = pipeline.receive()
    assert len(messages) == 3
    bad = next(m for m in messages if m["Body"] == body)

    result = module.handler(sqs_event(messages, pipeline.queue_arn), LambdaContext())

    assert result == {"batchItemFailures": [{"itemIdentifier": bad["MessageId"]}]}
    assert sorted(fake_aep.accepted_ids()) == sorted(xdm.event_id(e) for e in events)
    for message in messages:
        if message is not bad:
            pipeline.aws.sqs.delete_message(
                QueueUrl=pipeline.queue_url, ReceiptHandle=message["ReceiptHandle"]
            )
    assert pipeline.receive() == []  # received once already: moved to the DLQ
    assert [m["Body"] for m in pipeline.dead_letters()] == [body]
