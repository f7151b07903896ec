"""The AJO inbound webhook: at least once per inboundMessageId, refusals kept in the
DLQ, the secret header read once and again after a 401."""

from __future__ import annotations

import json
import random

import pytest
from harness.fake_webhook import LOST_ANSWERS, closed_port_url

from .conftest import SECRET_VALUE, inbound_json


@pytest.mark.parametrize("step", [None, "slow"])  # None: answer 200 normally
def test_answered_once_posted_once(pipeline, step):
    pipeline.webhook.plan = [step]
    pipeline.publish(inbound_json("hello", "in-1"))

    pipeline.drain(pipeline.function())

    assert pipeline.webhook.received_values("RequestID") == ["in-1"]
    assert len(pipeline.webhook.requests) == 1


@pytest.mark.parametrize("status", [400, 404, 413])
def test_a_refusal_is_not_retried_now_and_ends_in_the_dlq(make_pipeline, status, capsys):
    pipeline = make_pipeline(max_receive_count=2)
    pipeline.webhook.plan = [status] * 10
    pipeline.publish(inbound_json("hello", "in-1"))

    pipeline.drain(pipeline.function())

    assert len(pipeline.webhook.requests) == 2  # one post per receive, no retry inside
    assert len(pipeline.dead_letters()) == 1
    assert pipeline.sleeps == []
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["level"] == "ERROR" and lines[0]["failed"] == {"webhook": f"HTTP_{status}"}


@pytest.mark.parametrize("step", [500, 503, 408, 429, "500", "drop", "reset", "timeout"])
def test_retried_inside_the_invocation(pipeline, step):
    pipeline.webhook.plan = [step]
    pipeline.publish(inbound_json("hello", "in-1"))

    pipeline.drain(pipeline.function())

    taken_twice = step in ("500", "drop", "reset", "timeout")  # taken, then answer lost
    assert pipeline.webhook.received_values("RequestID") == ["in-1"] * (2 if taken_twice else 1)
    assert len(pipeline.webhook.requests) == 2
    assert len(pipeline.sleeps) == 1
    assert pipeline.item("in-1")["webhook"] == "FORWARDED"


def test_refused_connection_fails_the_message_and_sqs_retries(make_pipeline):
    pipeline = make_pipeline(max_receive_count=2)
    pipeline.publish(inbound_json("STOP", "in-1"))

    pipeline.drain(pipeline.function(AJO_INBOUND_WEBHOOK_URL=closed_port_url()))

    assert len(pipeline.dead_letters()) == 1  # after 2 receives x MAX_ATTEMPTS tries
    assert len(pipeline.sleeps) == 2 * 2
    assert pipeline.sms_api.accepted_count == 1  # the STOP reply was not repeated


def test_secret_read_once_and_again_after_a_401(pipeline):
    process = pipeline.function()
    pipeline.publish(inbound_json("one", "in-1"))
    pipeline.drain(process)

    # Rotated in Secrets Manager: the cached value is used until the webhook says 401.
    pipeline.aws.secrets.put_secret_value(SecretId=pipeline.secret_arn, SecretString="rotated")
    pipeline.publish(inbound_json("two", "in-2"))
    pipeline.drain(process)
    assert pipeline.webhook.requests[-1]["headers"]["x-ajo-webhook-secret"] == SECRET_VALUE

    pipeline.webhook.secret = "rotated"
    pipeline.publish(inbound_json("three", "in-3"))
    pipeline.drain(process)

    assert pipeline.webhook.received_values("RequestID") == ["in-1", "in-2", "in-3"]
    assert [r["headers"]["x-ajo-webhook-secret"] for r in pipeline.webhook.requests[-2:]] == [
        SECRET_VALUE,
        "rotated",
    ]


def test_without_a_secret_no_header(pipeline):
    pipeline.webhook.secret = None
    pipeline.publish(inbound_json("one", "in-1"))

    pipeline.drain(pipeline.function(AJO_INBOUND_WEBHOOK_SECRET_ARN=""))

    assert "x-ajo-webhook-secret" not in pipeline.webhook.requests[0]["headers"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_redelivery_loses_no_inbound_message(make_pipeline, seed, record_property):
    """N messages through SQS redelivery while the webhook fails at random: every
    inboundMessageId received at least once; duplicates counted, not hidden."""
    rng = random.Random(seed)
    faults = [500, 503, "500", "drop", "reset", "timeout", 429]
    pipeline = make_pipeline(max_receive_count=50)
    # About half the posts fail, each in one of the ways a webhook fails.
    plan = [rng.choice(faults) if rng.random() < 0.5 else None for _ in range(400)]
    pipeline.webhook.plan = list(plan)
    sent = [f"in-{seed}-{n}" for n in range(30)]
    for mid in sent:
        pipeline.publish(inbound_json(rng.choice(["STOP", "hello", "HELP", "start"]), mid))

    pipeline.drain(pipeline.function(), max_polls=200)

    received = pipeline.webhook.received_values("RequestID")
    lost = set(sent) - set(received)
    duplicates = len(received) - len(set(received))
    counts = {"sent": len(sent), "received": len(received), "duplicates": duplicates,
              "lost": len(lost), "posts": len(pipeline.webhook.requests)}  # fmt: skip
    record_property("counts", counts)
    print(f"seed={seed} {counts}")
    assert lost == set()
    assert set(received) <= set(sent)
    assert pipeline.dead_letters() == []
    # A duplicate is exactly a body taken whose answer was lost (one plan step per post).
    consumed = plan[: len(pipeline.webhook.requests)]
    assert duplicates == sum(1 for step in consumed if step in LOST_ANSWERS)
    # Every reply and export exactly once all the same.
    assert len(pipeline.exported()) == len(sent)
