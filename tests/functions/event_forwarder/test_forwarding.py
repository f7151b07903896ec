"""End to end through moto's S3 -> SQS notifications and the loopback AEP:
every event reaches AEP exactly once, whatever AEP answers along the way."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from ajo_runtime import http
from event_forwarder import app, xdm
from harness.forwarder_testkit import (
    BUCKET,
    LambdaContext,
    events_key,
    gzip_lines,
    sms_event,
    sqs_event,
)


def expected_ids(events: list[dict]) -> list[str]:
    return sorted(xdm.event_id(e) for e in events)


def assert_exactly_once(aep, events: list[dict]) -> None:
    accepted = aep.accepted_ids()
    duplicates = [i for i, n in Counter(accepted).items() if n > 1]
    assert not duplicates, f"{len(duplicates)} events posted twice"
    assert sorted(accepted) == expected_ids(events), "events lost"


def test_forwards_every_event_once_in_batches(pipeline, fake_aep, capsys):
    events = [sms_event(i) for i in range(250)]
    pipeline.put(events_key(), gzip_lines(events))
    forward = pipeline.forwarder()

    results = pipeline.drain(forward)

    assert all(r["batchItemFailures"] == [] for r in results)
    assert_exactly_once(fake_aep, events)
    assert [len(ids) for ids in fake_aep.posted_message_ids()] == [100, 100, 50]
    checkpoint = pipeline.checkpoint(events_key())
    assert checkpoint["complete"] is True
    assert (checkpoint["next"], checkpoint["accepted"], checkpoint["rejected"]) == (250, 250, 0)
    # One token for the whole run, headers AEP needs on every request.
    assert len(fake_aep.token_requests) == 1
    headers = fake_aep.batch_requests[0]["headers"]
    assert headers["x-gw-ims-org-id"] == "ABCDEF0123456789@AdobeOrg"
    assert headers["x-sandbox-name"] == "dev"
    assert headers["x-api-key"] == "test-client-id"
    # Logs: structured, and never a phone number or a token.
    out = capsys.readouterr().out
    assert "+1425555" not in out and "token-1" not in out
    logs = [json.loads(line) for line in out.splitlines() if line.strip()]
    forwarded = [line for line in logs if line["message"] == "object forwarded"]
    assert forwarded[0]["accepted"] == 250


def test_envelope_carries_schema_dataset_and_mapped_event(pipeline, fake_aep):
    event = sms_event(7, journey="welcome")
    pipeline.put(events_key(), gzip_lines([event]))
    pipeline.drain(pipeline.forwarder())

    (message,) = fake_aep.accepted
    assert message["header"]["schemaRef"]["id"].startswith("https://ns.adobe.com/")
    assert message["header"]["datasetId"] == "0123456789abcdef01234567"
    assert message["header"]["imsOrgId"] == "ABCDEF0123456789@AdobeOrg"
    entity = message["body"]["xdmEntity"]
    assert entity["eventType"] == event["eventType"]
    assert entity["timestamp"] == "2026-11-26T13:33:20.007Z"
    assert entity["identityMap"]["Phone"][0]["id"] == event["destinationPhoneNumber"]


def test_custom_template_maps_context_for_journey_reporting(pipeline, fake_aep):
    template = {
        "_id": "{{_id}}",
        "timestamp": "{{timestamp}}",
        "_acme": {
            "sms": {
                "journeyId": "{{context.journeyId}}",
                "status": "{{messageStatus}}",
                "parts": "{{totalMessageParts}}",
                "missing": "{{context.notThere}}",
            }
        },
    }
    pipeline.put(events_key(), gzip_lines([sms_event(1, journey="j-42")]))
    pipeline.drain(pipeline.forwarder(XDM_TEMPLATE=json.dumps(template)))

    sms = fake_aep.accepted[0]["body"]["xdmEntity"]["_acme"]["sms"]
    assert sms == {"journeyId": "j-42", "status": "SUCCESSFUL", "parts": 1}


def test_s3_test_event_is_acknowledged_without_posting(pipeline, fake_aep):
    # Configuring the notification queued S3's s3:TestEvent: it must not fail.
    assert json.loads(pipeline.test_event_body)["Event"] == "s3:TestEvent"
    pipeline.aws.sqs.send_message(QueueUrl=pipeline.queue_url, MessageBody=pipeline.test_event_body)
    results = pipeline.drain(pipeline.forwarder())
    assert results and all(r["batchItemFailures"] == [] for r in results)
    assert fake_aep.batch_requests == []


def test_token_is_refreshed_once_after_401(pipeline, fake_aep):
    events = [sms_event(i) for i in range(150)]
    fake_aep.plan = [None, "revoke"]  # second request: the token was revoked at Adobe
    pipeline.put(events_key(), gzip_lines(events))

    results = pipeline.drain(pipeline.forwarder())

    assert all(r["batchItemFailures"] == [] for r in results)
    assert len(fake_aep.token_requests) == 2
    assert_exactly_once(fake_aep, events)


def test_persistent_401_keeps_events_and_a_retry_delivers_them(pipeline, fake_aep):
    events = [sms_event(i) for i in range(30)]
    pipeline.put(events_key(), gzip_lines(events))
    forward = pipeline.forwarder()

    fake_aep.reject_tokens = True
    result = pipeline.deliver(forward)
    assert len(result["batchItemFailures"]) == 1
    assert len(fake_aep.token_requests) == 2  # refreshed once, then gave up
    assert pipeline.checkpoint(events_key())["next"] == 0

    fake_aep.reject_tokens = False
    pipeline.drain(forward)
    assert_exactly_once(fake_aep, events)


def test_429_is_retried_after_the_retry_after_delay(pipeline, fake_aep):
    events = [sms_event(i) for i in range(20)]
    fake_aep.plan = [429, 429]
    fake_aep.retry_after = "3"
    pipeline.put(events_key(), gzip_lines(events))

    results = pipeline.drain(pipeline.forwarder(BACKOFF_BASE_SECONDS="0.1"))

    assert all(r["batchItemFailures"] == [] for r in results)
    assert len(pipeline.sleeps) == 2 and min(pipeline.sleeps) >= 3
    assert_exactly_once(fake_aep, events)


def test_503_outage_resumes_from_the_checkpoint_without_duplicates(pipeline, fake_aep):
    events = [sms_event(i) for i in range(250)]
    # First batch accepted, then AEP refuses every attempt for the second batch
    # (503: refused before processing; 500/502/504 may follow a store: test_lost_answers).
    fake_aep.plan = [None, 503, 503, 503]
    pipeline.put(events_key(), gzip_lines(events))
    forward = pipeline.forwarder(MAX_ATTEMPTS=3)

    result = pipeline.deliver(forward)
    assert len(result["batchItemFailures"]) == 1
    checkpoint = pipeline.checkpoint(events_key())
    assert (checkpoint["next"], checkpoint["complete"], checkpoint["inflight"]) == (100, False, [])

    posts_before = len(fake_aep.batch_requests)
    pipeline.drain(forward)  # AEP healthy again: the retried message finishes
    retried = [i for ids in fake_aep.posted_message_ids()[posts_before:] for i in ids]
    first_batch = {xdm.event_id(e) for e in events[:100]}
    assert not first_batch & set(retried), "an accepted batch was posted again"
    assert_exactly_once(fake_aep, events)


def test_per_message_failures_retry_only_those_and_keep_rejects(pipeline, fake_aep):
    events = [sms_event(i) for i in range(40)]
    transient_left = {i: 1 for i in range(40) if i % 10 == 3}  # 503 once each

    def status(position, message):
        index = _index(message)
        if index % 10 == 7:
            return 400  # XDM validation failure: permanent
        if transient_left.get(index):
            transient_left[index] -= 1
            return 503
        return None

    fake_aep.message_status = status
    pipeline.put(events_key(), gzip_lines(events))
    results = pipeline.drain(pipeline.forwarder(BATCH_MAX_EVENTS=25))

    assert all(r["batchItemFailures"] == [] for r in results)
    delivered = [e for i, e in enumerate(events) if i % 10 != 7]
    assert_exactly_once(fake_aep, delivered)
    # The retries carried only the transiently failed messages (3, 13, 23; 33).
    sizes = [len(ids) for ids in fake_aep.posted_message_ids()]
    assert sizes == [25, 3, 15, 1]
    rejects = pipeline.kept("rejected")
    assert sorted(r["index"] for r in rejects) == [7, 17, 27, 37]
    assert {r["status"] for r in rejects} == {400}
    assert rejects[0]["event"]["messageId"] == "msg-000007"
    assert pipeline.checkpoint(events_key())["rejected"] == 4


_ID_TO_INDEX = {xdm.event_id(sms_event(i)): i for i in range(1000)}


def _index(message) -> int:
    """The test event's number, recovered from its deterministic XDM _id."""
    return _ID_TO_INDEX[message["body"]["xdmEntity"]["_id"]]


@pytest.mark.parametrize("then", [400, 413])
def test_a_refusal_after_a_partial_success_keeps_what_was_accepted(pipeline, fake_aep, then):
    """A 207 accepts 19 of 20 and fails one transiently; the retry of that one
    is refused (400: the queue retries it) or too large (413: one event, kept
    as a reject): the 19 stay accepted, never re-posted."""
    events = [sms_event(i) for i in range(20)]
    failed = set()

    def status(position, message):
        index = _index(message)
        if index == 3 and index not in failed:
            failed.add(index)
            return 503
        return None

    fake_aep.message_status = status
    fake_aep.plan = [None, then]
    pipeline.put(events_key(), gzip_lines(events))

    pipeline.drain(pipeline.forwarder())

    too_large = [events[3]] if then == 413 else []
    assert_exactly_once(fake_aep, [e for e in events if e not in too_large])
    rejects = pipeline.kept("rejected")
    assert [(r["index"], r["status"]) for r in rejects] == ([(3, 413)] if too_large else [])


def test_unresolved_messages_mid_batch_are_resumed_exactly(pipeline, fake_aep):
    """A 207 whose failed messages never recover leaves holes in the middle of
    a batch: the checkpoint keeps the accepted ones after the first hole."""
    events = [sms_event(i) for i in range(30)]
    outage = {"on": True}

    def status(position, message):
        return 503 if outage["on"] and _index(message) in {5, 6, 20} else None

    fake_aep.message_status = status
    pipeline.put(events_key(), gzip_lines(events))
    forward = pipeline.forwarder(MAX_ATTEMPTS=2)

    result = pipeline.deliver(forward)
    assert len(result["batchItemFailures"]) == 1
    checkpoint = pipeline.checkpoint(events_key())
    assert checkpoint["next"] == 5
    assert set(checkpoint["done"]) == set(range(7, 30)) - {20}

    outage["on"] = False
    posts_before = len(fake_aep.batch_requests)
    pipeline.drain(forward)
    assert [
        sorted(_ID_TO_INDEX[i] for i in ids) for ids in fake_aep.posted_message_ids()[posts_before:]
    ] == [[5, 6, 20]]
    assert_exactly_once(fake_aep, events)


def test_duplicate_notification_posts_nothing_more(pipeline, fake_aep):
    events = [sms_event(i) for i in range(10)]
    key = events_key()
    pipeline.put(key, gzip_lines(events))
    forward = pipeline.forwarder()
    pipeline.drain(forward)
    # S3 delivers notifications at least once: the same object announced again.
    notification = {
        "Records": [
            {
                "eventName": "ObjectCreated:Put",
                "s3": {"bucket": {"name": BUCKET}, "object": {"key": key}},
            }
        ]
    }
    pipeline.aws.sqs.send_message(QueueUrl=pipeline.queue_url, MessageBody=json.dumps(notification))
    results = pipeline.drain(forward)

    assert results[0]["batchItemFailures"] == []
    assert len(fake_aep.batch_requests) == 1
    assert_exactly_once(fake_aep, events)


def test_two_invocations_on_one_object_never_post_a_batch_twice(pipeline, fake_aep):
    """S3 notifies at least once: a second invocation starts on the object
    while the first is posting its first batch (here: runs to the end inside
    that post). The in-flight mark and conditional writes keep each event to
    one post; the overlapped batch is kept as unknown."""
    events = [sms_event(i) for i in range(250)]
    key = events_key()
    pipeline.put(key, gzip_lines(events))
    (message,) = pipeline.receive()
    second = pipeline.forwarder()
    overlapped = []

    def post_after_the_second_invocation(*args, **kwargs):
        if not overlapped:
            overlapped.append(second(sqs_event([message], pipeline.queue_arn), LambdaContext()))
        return http.post(*args, **kwargs)

    first = app.build(
        pipeline.environ(),
        s3_client=pipeline.aws.s3,
        secrets_client=pipeline.aws.secrets,
        post=post_after_the_second_invocation,
        sleep=pipeline.sleeps.append,
    )
    result = first(sqs_event([message], pipeline.queue_arn), LambdaContext())

    assert overlapped[0]["batchItemFailures"] == []  # the second one finished the object
    assert len(result["batchItemFailures"]) == 1  # the first stopped at its next write
    assert_exactly_once(fake_aep, events)
    assert len(fake_aep.batch_requests) == 3
    kept = {xdm.event_id(r["event"]) for r in pipeline.kept("unknown")}
    assert kept == {xdm.event_id(e) for e in events[:100]}
    checkpoint = pipeline.checkpoint(key)
    assert (checkpoint["complete"], checkpoint["accepted"], checkpoint["unknown"]) == (
        True,
        150,
        100,
    )


def test_a_run_resumes_from_the_checkpoint_another_left(pipeline, fake_aep):
    key = events_key()
    events = [sms_event(i) for i in range(5)]
    pipeline.put(key, gzip_lines(events))
    etag = pipeline.aws.s3.head_object(Bucket=BUCKET, Key=key)["ETag"]
    pipeline.aws.s3.put_object(
        Bucket=BUCKET,
        Key=f"aep-forwarder/checkpoints/{key}.json",
        Body=json.dumps({"next": 2, "sourceEtag": etag, "leaseOwner": "crashed"}),
    )
    pipeline.drain(pipeline.forwarder())
    # The stopped run had finished events 0 and 1: only the rest are posted.
    assert_exactly_once(fake_aep, events[2:])


def test_a_replaced_object_is_forwarded_again(pipeline, fake_aep):
    key = events_key()
    pipeline.put(key, gzip_lines([sms_event(1)]))
    pipeline.drain(pipeline.forwarder())
    pipeline.put(key, gzip_lines([sms_event(2)]))  # same key, new content: new events
    pipeline.drain(pipeline.forwarder())
    assert_exactly_once(fake_aep, [sms_event(1), sms_event(2)])


def test_malformed_lines_are_kept_not_dropped(pipeline, fake_aep):
    good = [sms_event(i) for i in range(3)]
    concatenated = (json.dumps(sms_event(10)) + json.dumps(sms_event(11))).encode()
    body = gzip_lines(good, raw_lines=[b"", b"{not json", concatenated, b"[1,2]"])
    pipeline.put(events_key(), body)

    pipeline.drain(pipeline.forwarder())

    assert_exactly_once(fake_aep, [*good, sms_event(10), sms_event(11)])
    reasons = sorted((r["index"], r["reason"]) for r in pipeline.kept("rejected"))
    assert reasons == [(3, "INVALID_JSON"), (6, "NOT_AN_OBJECT")]
    assert pipeline.kept("rejected")[0]["raw"] == "{not json"


def test_413_splits_the_batch(pipeline, fake_aep):
    events = [sms_event(i) for i in range(40)]
    fake_aep.plan = [lambda messages: 413 if len(messages) > 10 else None for _ in range(20)]
    pipeline.put(events_key(), gzip_lines(events))

    results = pipeline.drain(pipeline.forwarder(BATCH_MAX_EVENTS=40))

    assert all(r["batchItemFailures"] == [] for r in results)
    assert_exactly_once(fake_aep, events)


def test_refused_request_ends_in_the_dead_letter_queue(make_pipeline, fake_aep):
    pipeline = make_pipeline(max_receive_count=2)
    events = [sms_event(i) for i in range(5)]
    fake_aep.plan = [400] * 10  # e.g. a schema the dataset does not accept
    pipeline.put(events_key(), gzip_lines(events))

    pipeline.drain(pipeline.forwarder())

    dead = pipeline.dead_letters()
    assert len(dead) == 1
    assert json.loads(dead[0]["Body"])["Records"][0]["s3"]["object"]["key"].endswith(".gz")
    assert fake_aep.accepted == []
    assert pipeline.checkpoint(events_key())["next"] == 0  # nothing marked as done

    # After the fix, a redrive (here: the same message body again) delivers all.
    fake_aep.plan = []
    pipeline.aws.sqs.send_message(QueueUrl=pipeline.queue_url, MessageBody=dead[0]["Body"])
    pipeline.drain(pipeline.forwarder())
    assert_exactly_once(fake_aep, events)


def test_aep_error_text_is_logged_without_phone_numbers_and_bounded(pipeline, fake_aep, capsys):
    fake_aep.error_title = (
        "Invalid value '+1 415 555 0100' at identityMap.Phone[0].id; " + "x" * 500
    )
    fake_aep.plan = [400]
    pipeline.put(events_key(), gzip_lines([sms_event(1)]))

    pipeline.deliver(pipeline.forwarder())

    logs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    (refused,) = [line for line in logs if line["message"] == "aep refused the request"]
    assert refused["status"] == 400
    assert refused["detail"].startswith("Invalid value '+1415*****00' at identityMap.Phone[0].id;")
    assert len(refused["detail"]) == 200
    assert not any(digits in json.dumps(logs) for digits in ("555 0100", "5550100"))


def test_ims_refusing_the_client_credentials_fails_the_message(pipeline, fake_aep):
    pipeline.aws.secrets.put_secret_value(
        SecretId=pipeline.secret_arn,
        SecretString=json.dumps(
            {"client_id": "wrong", "client_secret": "wrong", "token_url": fake_aep.token_url}
        ),
    )
    pipeline.put(events_key(), gzip_lines([sms_event(1)]))
    forward = pipeline.forwarder()

    result = pipeline.deliver(forward)

    assert len(result["batchItemFailures"]) == 1
    assert fake_aep.batch_requests == []


def test_out_of_time_leaves_the_rest_for_the_retry(pipeline, fake_aep):
    events = [sms_event(i) for i in range(10)]
    pipeline.put(events_key(), gzip_lines(events))
    forward = pipeline.forwarder()

    # Less time left than the safety margin: nothing is started.
    result = pipeline.deliver(forward, LambdaContext(remaining_ms=5_000))
    assert len(result["batchItemFailures"]) == 1
    assert fake_aep.batch_requests == []

    pipeline.drain(forward)
    assert_exactly_once(fake_aep, events)
