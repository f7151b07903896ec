"""The AJO SMS feedback webhook target, end to end through moto's S3 -> SQS
notifications and the loopback webhook (harness/fake_webhook.py): one POST per
delivery report, each taken by AJO at most once, the rest kept in S3."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from botocore.exceptions import ClientError
from event_forwarder import app, xdm
from harness.fake_webhook import LOST_ANSWERS, closed_port_url
from harness.forwarder_testkit import events_key, gzip_lines, sms_event

FEEDBACK = "ajo-feedback"


def inbound_event(index: int) -> dict:
    """What the inbound function puts in the events stream for a reply."""
    return {
        "eventType": "TEXT_INBOUND",
        "eventVersion": "1.0",
        "eventTimestamp": 1795700000000 + index,
        "messageId": f"in-{index:06d}",
        "originationPhoneNumber": "+1425555****",
        "context": {},
    }


def message_ids(events: list[dict]) -> list[str]:
    return [e["messageId"] for e in events]


def assert_received_once(webhook, events: list[dict]) -> None:
    received = webhook.received_values("messageId")
    twice = [m for m, n in Counter(received).items() if n > 1]
    assert not twice, f"reports taken twice: {twice}"
    assert sorted(received) == sorted(message_ids(events)), "reports lost"


def test_each_delivery_report_is_posted_once_and_inbound_messages_skipped(
    pipeline, fake_aep, fake_webhook, capsys
):
    events = [sms_event(i) for i in range(30)]
    stream = [*events[:10], inbound_event(1), *events[10:], inbound_event(2)]
    pipeline.put(events_key(), gzip_lines(stream))

    results = pipeline.drain(
        pipeline.forwarder(pipeline.feedback_environ(fake_webhook.url, BATCH_MAX_EVENTS=8))
    )

    assert all(r["batchItemFailures"] == [] for r in results)
    assert_received_once(fake_webhook, events)
    assert len(fake_webhook.requests) == 30  # one POST per report, none for TEXT_INBOUND
    assert fake_aep.batch_requests == []  # AEP is off
    first = fake_webhook.received[0]
    assert first == {
        "clientReference": "msg-000000",
        "statuses": [
            {"code": "TEXT_SUCCESSFUL", "status": "sent"},
            {"code": "SUCCESSFUL", "status": "sent"},
        ],
        "messageId": "msg-000000",
        "eventType": "TEXT_SUCCESSFUL",
        "timestamp": "2026-11-26T13:33:20.000Z",
    }
    by_type = {b["eventType"]: b["statuses"][0]["status"] for b in fake_webhook.received}
    assert by_type == {
        "TEXT_SUCCESSFUL": "sent",
        "TEXT_DELIVERED": "delivered",
        "TEXT_BLOCKED": "failed",
        "TEXT_PENDING": "pending",
    }
    assert fake_webhook.requests[0]["headers"]["content-type"] == "application/json"
    checkpoint = pipeline.checkpoint(events_key(), FEEDBACK)
    assert (checkpoint["complete"], checkpoint["accepted"], checkpoint["skipped"]) == (True, 30, 2)
    assert checkpoint["next"] == 32
    assert pipeline.checkpoint(events_key()) is None  # no AEP state written
    out = capsys.readouterr().out
    assert "+1425555" not in out
    forwarded = [json.loads(line) for line in out.splitlines() if "object forwarded" in line]
    assert [(f["target"], f["accepted"], f["skipped"]) for f in forwarded] == [
        ("ajo-feedback", 30, 2)
    ]


@pytest.mark.parametrize(
    ("context", "top", "expected"),
    [
        ({"clientReference": "ajo-42", "trackingId": "t-1"}, {}, "ajo-42"),
        ({"trackingId": "t-1"}, {"trackingId": "t-top"}, "t-1"),
        ({"clientReference": "  "}, {"trackingId": "t-top"}, "t-top"),
        ({}, {}, "msg-000003"),
        ({"ajoRef": "custom"}, {}, "custom"),  # CLIENT_REFERENCE_KEY=ajoRef below
    ],
    ids=["context-key", "context-tracking-id", "top-tracking-id", "message-id", "custom-key"],
)
def test_client_reference_precedence(pipeline, fake_webhook, context, top, expected):
    event = {**sms_event(3), "context": context, **top}
    pipeline.put(events_key(), gzip_lines([event]))
    key = "ajoRef" if "ajoRef" in context else "clientReference"

    pipeline.drain(
        pipeline.forwarder(pipeline.feedback_environ(fake_webhook.url, CLIENT_REFERENCE_KEY=key))
    )

    assert fake_webhook.received_values("clientReference") == [expected]


def test_dispatcher_outcomes_and_unmappable_events(pipeline, fake_webhook):
    """The dispatcher's own events of queued sends are reports too (their
    trackingId is what AJO got in the 202); an event that is a report but
    cannot be mapped is kept as a reject, not posted and not dropped."""
    expired = {
        "eventType": "QUEUED_MESSAGE_EXPIRED",
        "eventTimestamp": 1795700000000,
        "trackingId": "trk-1",
        "messageId": None,
        "code": "TTL_EXPIRED",
        "context": {"journeyId": "j"},
    }
    voice = {**sms_event(1), "eventType": "VOICE_COMPLETED"}
    new_type = {**sms_event(2), "eventType": "TEXT_SOMETHING_NEW"}
    no_reference = {"eventType": "TEXT_DELIVERED", "eventTimestamp": 1, "context": {}}
    pipeline.put(events_key(), gzip_lines([expired, voice, new_type, no_reference]))

    results = pipeline.drain(pipeline.forwarder(pipeline.feedback_environ(fake_webhook.url)))

    assert results[-1]["batchItemFailures"] == []
    assert fake_webhook.received == [
        {
            "clientReference": "trk-1",
            "statuses": [
                {"code": "QUEUED_MESSAGE_EXPIRED", "status": "failed"},
                {"code": "TTL_EXPIRED", "status": "failed"},
            ],
            "eventType": "QUEUED_MESSAGE_EXPIRED",
            "timestamp": "2026-11-26T13:33:20.000Z",
        }
    ]
    rejects = {r["index"]: r["reason"] for r in pipeline.kept("rejected", FEEDBACK)}
    assert rejects == {2: "UNMAPPED_EVENT_TYPE:TEXT_SOMETHING_NEW", 3: "NO_CLIENT_REFERENCE"}
    checkpoint = pipeline.checkpoint(events_key(), FEEDBACK)
    assert (checkpoint["accepted"], checkpoint["rejected"], checkpoint["skipped"]) == (1, 2, 1)


def test_a_failing_webhook_never_makes_aep_post_again(pipeline, fake_aep, fake_webhook):
    events = [sms_event(i) for i in range(150)]
    fake_webhook.plan = [None] * 20 + [503] * 3  # 20 reports taken, then busy for good
    pipeline.put(events_key(), gzip_lines(events))
    forward = pipeline.forwarder(pipeline.feedback_environ(fake_webhook.url, aep=True))

    result = pipeline.deliver(forward)

    assert len(result["batchItemFailures"]) == 1  # feedback unfinished: the message returns
    assert len(fake_aep.accepted_ids()) == 150  # AEP finished the object
    assert len(fake_webhook.received) == 20
    aep_posts = len(fake_aep.batch_requests)

    results = pipeline.drain(forward)

    assert results[-1]["batchItemFailures"] == []
    assert len(fake_aep.batch_requests) == aep_posts  # AEP: nothing posted again
    assert sorted(fake_aep.accepted_ids()) == sorted(xdm.event_id(e) for e in events)
    assert_received_once(fake_webhook, events)
    assert pipeline.kept("unknown", FEEDBACK) == [] and pipeline.kept("unknown") == []


def test_a_failing_aep_never_makes_the_webhook_post_again(pipeline, fake_aep, fake_webhook):
    events = [sms_event(i) for i in range(150)]
    fake_aep.plan = [None, 503, 503, 503]  # second AEP batch refused on every attempt
    pipeline.put(events_key(), gzip_lines(events))
    forward = pipeline.forwarder(pipeline.feedback_environ(fake_webhook.url, aep=True))

    result = pipeline.deliver(forward)

    assert len(result["batchItemFailures"]) == 1
    assert len(fake_webhook.received) == 150  # the webhook finished the object
    webhook_posts = len(fake_webhook.requests)

    pipeline.drain(forward)

    assert len(fake_webhook.requests) == webhook_posts
    assert_received_once(fake_webhook, events)
    assert sorted(fake_aep.accepted_ids()) == sorted(xdm.event_id(e) for e in events)


class CountingSecrets:
    """The Secrets Manager client, counting GetSecretValue calls."""

    def __init__(self, client):
        self._client, self.reads = client, 0

    def __getattr__(self, name):
        return getattr(self._client, name)

    def get_secret_value(self, **kwargs):
        self.reads += 1
        return self._client.get_secret_value(**kwargs)


def feedback_forwarder(pipeline, secrets, **environ):
    return app.build(
        environ, s3_client=pipeline.aws.s3, secrets_client=secrets, sleep=pipeline.sleeps.append
    )


def test_secret_header_read_once_and_refreshed_once_after_a_401(pipeline, fake_webhook):
    arn = pipeline.aws.secrets.create_secret(Name="ajo-sms/feedback", SecretString="old-secret")[
        "ARN"
    ]
    fake_webhook.secret = "old-secret"
    secrets = CountingSecrets(pipeline.aws.secrets)
    forward = feedback_forwarder(
        pipeline,
        secrets,
        **pipeline.feedback_environ(
            fake_webhook.url,
            AJO_FEEDBACK_WEBHOOK_SECRET_ARN=arn,
            AJO_FEEDBACK_WEBHOOK_HEADER="X-Feedback-Key",
        ),
    )
    fake_webhook.header = "x-feedback-key"
    pipeline.put(events_key("a"), gzip_lines([sms_event(i) for i in range(20)]))
    pipeline.drain(forward)
    assert secrets.reads == 1  # once per container, not per report
    assert {r["headers"]["x-feedback-key"] for r in fake_webhook.requests} == {"old-secret"}

    # Rotated: AJO now wants the new value; the container still holds the old one.
    pipeline.aws.secrets.put_secret_value(SecretId=arn, SecretString="new-secret")
    fake_webhook.secret = "new-secret"
    later = [sms_event(i) for i in range(20, 30)]
    pipeline.put(events_key("b"), gzip_lines(later))
    results = pipeline.drain(forward)

    assert results[-1]["batchItemFailures"] == []
    assert secrets.reads == 2
    assert_received_once(fake_webhook, [sms_event(i) for i in range(30)])


def test_a_secret_refused_after_the_refresh_fails_the_message_and_keeps_nothing(
    pipeline, fake_webhook, capsys
):
    arn = pipeline.aws.secrets.create_secret(Name="ajo-sms/feedback", SecretString="wrong")["ARN"]
    fake_webhook.secret = "right"
    secrets = CountingSecrets(pipeline.aws.secrets)
    forward = feedback_forwarder(
        pipeline,
        secrets,
        **pipeline.feedback_environ(fake_webhook.url, AJO_FEEDBACK_WEBHOOK_SECRET_ARN=arn),
    )
    pipeline.put(events_key(), gzip_lines([sms_event(i) for i in range(5)]))

    result = pipeline.deliver(forward)

    assert len(result["batchItemFailures"]) == 1
    assert secrets.reads == 2 and len(fake_webhook.requests) == 2  # refreshed once, no more
    assert pipeline.kept("rejected", FEEDBACK) == pipeline.kept("unknown", FEEDBACK) == []
    assert pipeline.checkpoint(events_key(), FEEDBACK)["next"] == 0
    assert "wrong" not in capsys.readouterr().out  # the secret is never logged

    pipeline.aws.secrets.put_secret_value(SecretId=arn, SecretString="right")
    pipeline.drain(forward)
    assert_received_once(fake_webhook, [sms_event(i) for i in range(5)])


@pytest.mark.parametrize("fault", [*LOST_ANSWERS, 500, 502, 504])
def test_a_lost_answer_is_kept_as_unknown_and_never_reposted(pipeline, fake_webhook, fault):
    events = [sms_event(i) for i in range(12)]
    fake_webhook.hang_seconds = 0.8
    fake_webhook.plan = [None, None, fault]  # the third report's answer is lost
    pipeline.put(events_key(), gzip_lines(events))
    forward = pipeline.forwarder(
        **pipeline.feedback_environ(fake_webhook.url, BATCH_MAX_EVENTS=5, HTTP_TIMEOUT_SECONDS=0.4)
    )

    results = pipeline.drain(forward)

    assert results[0]["batchItemFailures"] and results[-1]["batchItemFailures"] == []
    posted = [r["body"]["messageId"] for r in fake_webhook.requests]
    assert posted.count("msg-000002") == 1, "a report that may have been taken was posted again"
    assert sorted(set(posted)) == message_ids(events)
    (unknown,) = pipeline.kept("unknown", FEEDBACK)
    assert unknown["index"] == 2 and unknown["event"]["messageId"] == "msg-000002"
    assert unknown["reason"].startswith(("ANSWER_LOST", "HTTP_5"))
    taken = fake_webhook.received_values("messageId")
    assert len(taken) == len(set(taken))  # none taken twice
    checkpoint = pipeline.checkpoint(events_key(), FEEDBACK)
    assert (checkpoint["complete"], checkpoint["accepted"], checkpoint["unknown"]) == (True, 11, 1)


@pytest.mark.parametrize("status", [408, 429, 503])
def test_refusals_before_processing_are_retried(pipeline, fake_webhook, status):
    events = [sms_event(i) for i in range(4)]
    fake_webhook.plan = [None, status, status]
    pipeline.put(events_key(), gzip_lines(events))

    results = pipeline.drain(pipeline.forwarder(pipeline.feedback_environ(fake_webhook.url)))

    assert results[0]["batchItemFailures"] == []
    assert len(fake_webhook.requests) == 6 and len(pipeline.sleeps) == 2
    assert_received_once(fake_webhook, events)
    assert pipeline.kept("unknown", FEEDBACK) == []


def test_a_webhook_never_reached_is_retried_later(pipeline, fake_webhook):
    events = [sms_event(i) for i in range(4)]
    pipeline.put(events_key(), gzip_lines(events))

    result = pipeline.deliver(pipeline.forwarder(pipeline.feedback_environ(closed_port_url())))

    assert len(result["batchItemFailures"]) == 1
    assert len(pipeline.sleeps) == 2  # MAX_ATTEMPTS=3 for the first report, then stop
    assert pipeline.kept("unknown", FEEDBACK) == pipeline.kept("rejected", FEEDBACK) == []
    pipeline.drain(pipeline.forwarder(pipeline.feedback_environ(fake_webhook.url)))
    assert_received_once(fake_webhook, events)


@pytest.mark.parametrize("status", [403, 404, 410])
def test_a_wrong_webhook_fails_the_message_and_keeps_every_report(pipeline, fake_webhook, status):
    """A deleted webhook (or a gateway refusing us) is the deployment's fault, not the
    report's: the message goes back to SQS (then the DLQ); nothing is posted after it."""
    events = [sms_event(i) for i in range(3)]
    fake_webhook.plan = [status]
    pipeline.put(events_key(), gzip_lines(events))

    result = pipeline.deliver(pipeline.forwarder(pipeline.feedback_environ(fake_webhook.url)))

    assert len(result["batchItemFailures"]) == 1
    assert len(fake_webhook.requests) == 1 and fake_webhook.received == []
    assert pipeline.kept("rejected", FEEDBACK) == pipeline.kept("unknown", FEEDBACK) == []
    pipeline.drain(pipeline.forwarder(pipeline.feedback_environ(fake_webhook.url)))
    assert_received_once(fake_webhook, events)


@pytest.mark.parametrize("status", [400, 409, 422])
def test_other_4xx_rejects_that_report_and_keeps_it(pipeline, fake_webhook, status):
    events = [sms_event(i) for i in range(5)]
    fake_webhook.plan = [None, status]
    pipeline.put(events_key(), gzip_lines(events))

    results = pipeline.drain(pipeline.forwarder(pipeline.feedback_environ(fake_webhook.url)))

    assert results[-1]["batchItemFailures"] == []
    assert_received_once(fake_webhook, events[:1] + events[2:])
    (reject,) = pipeline.kept("rejected", FEEDBACK)
    assert (reject["index"], reject["status"]) == (1, status)
    assert reject["reason"].startswith(f"HTTP_{status}")
    assert len(fake_webhook.requests) == 5  # a rejected report is not retried


class FailingCheckpointWrites:
    """S3 client whose feedback checkpoint writes fail from the `after`-th on."""

    def __init__(self, s3, after: int):
        self._s3, self._after = s3, after

    def __getattr__(self, name):
        return getattr(self._s3, name)

    def put_object(self, **kwargs):
        if kwargs["Key"].startswith("ajo-feedback/checkpoints/"):
            self._after -= 1
            if self._after < 0:
                error = {"Error": {"Code": "ServiceUnavailable", "Message": "S3 down"}}
                raise ClientError(error, "PutObject")
        return self._s3.put_object(**kwargs)


def test_a_run_stopped_mid_batch_leaves_the_batch_unknown_not_reposted(pipeline, fake_webhook):
    events = [sms_event(i) for i in range(8)]
    pipeline.put(events_key(), gzip_lines(events))
    env = pipeline.feedback_environ(fake_webhook.url, BATCH_MAX_EVENTS=5)
    pipeline.aws.s3, real = FailingCheckpointWrites(pipeline.aws.s3, after=1), pipeline.aws.s3
    broken = pipeline.forwarder(env)  # marks 0-4 in flight, posts them, cannot record it

    result = pipeline.deliver(broken)

    assert len(result["batchItemFailures"]) == 1
    assert len(fake_webhook.requests) == 5
    pipeline.aws.s3 = real
    pipeline.drain(pipeline.forwarder(env))
    assert_received_once(fake_webhook, events)
    unknown = pipeline.kept("unknown", FEEDBACK)
    assert sorted(r["index"] for r in unknown) == [0, 1, 2, 3, 4]
    assert {r["reason"] for r in unknown} == {"INTERRUPTED"}
