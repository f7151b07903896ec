"""Property (the feedback sibling of test_exactly_once_property): whatever the
AJO feedback webhook answers, in whatever order, once the queue drains every
report was taken by the webhook at most once, and each one is accepted, kept
as a reject, or kept as unknown (the webhook may have it) - never lost, never
posted again once the webhook may have taken it, even through the DLQ."""

from __future__ import annotations

import itertools
from collections import Counter

from harness.fake_webhook import LOST_ANSWERS
from harness.forwarder_testkit import events_key, gzip_lines, sms_event
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# One scripted answer per POST: healthy, refused before processing (retried),
# refused for good (rejected), the webhook wrong (retried via SQS), failed after taking
# it or lost (unknown).
answers = st.one_of(
    st.just(None),
    st.sampled_from([400, 403, 404, 408, 422, 429, 500, 502, 503, 504, *LOST_ANSWERS]),
)
_keys = itertools.count()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    count=st.integers(1, 25),
    batch=st.integers(1, 8),
    script=st.lists(answers, max_size=15),
)
def test_no_report_lost_or_taken_twice(pipeline, fake_webhook, count, batch, script):
    run = next(_keys)
    fake_webhook.requests, fake_webhook.received = [], []
    fake_webhook.plan = list(script)
    fake_webhook.hang_seconds = 0.3
    events = [{**sms_event(i), "messageId": f"r{run}-{i}"} for i in range(count)]
    key = events_key(f"prop-{run}")
    pipeline.put(key, gzip_lines(events))
    forward = pipeline.forwarder(
        pipeline.feedback_environ(
            fake_webhook.url, BATCH_MAX_EVENTS=batch, MAX_ATTEMPTS=2, HTTP_TIMEOUT_SECONDS=0.2
        )
    )
    # Every failure is retried; an object out of receives is redriven from the DLQ.
    for _ in range(60):
        if pipeline.deliver(forward) is None and not pipeline.redrive():
            break

    taken = Counter(fake_webhook.received_values("messageId"))
    assert all(n == 1 for n in taken.values()), "a report was taken twice"

    def kept(kind: str) -> set[str]:
        lines = pipeline.kept(kind, "ajo-feedback")
        return {r["event"]["messageId"] for r in lines if r["source"].endswith(key)}

    rejected, unknown = kept("rejected"), kept("unknown")
    assert set(taken) | rejected | unknown == {e["messageId"] for e in events}, "a report was lost"
    assert not set(taken) & rejected and not rejected & unknown
    checkpoint = pipeline.checkpoint(key, "ajo-feedback")
    assert checkpoint["complete"] is True
    assert checkpoint["unknown"] == len(unknown)
    assert checkpoint["accepted"] == len(set(taken) - unknown)
