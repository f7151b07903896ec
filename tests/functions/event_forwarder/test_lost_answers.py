"""Outcomes the forwarder cannot know: AEP stored a request but its answer was
lost (or the forwarder stopped before recording it). AEP keeps every copy of
an `_id` in the dataset (README: Duplicates), so such a request is never
posted again: each event is stored at most once, and the ones whose outcome
is unknown are kept under the unknown prefix to be checked, never dropped."""

from __future__ import annotations

from collections import Counter

import pytest
from botocore.exceptions import ClientError
from event_forwarder import xdm
from harness.fake_aep import LOST_ANSWERS
from harness.forwarder_testkit import events_key, gzip_lines, sms_event


def ids(events: list[dict]) -> set[str]:
    return {xdm.event_id(e) for e in events}


def assert_stored_once(aep, events: list[dict]) -> Counter:
    stored = Counter(aep.accepted_ids())
    copies = sum(stored.values()) - len(stored)
    assert copies == 0, f"{copies} extra copies stored (up to {max(stored.values())} per event)"
    assert set(stored) == ids(events), "events lost"
    return stored


@pytest.mark.parametrize("fault", LOST_ANSWERS)
def test_a_lost_answer_is_never_reposted(pipeline, fake_aep, fault):
    events = [sms_event(i) for i in range(150)]
    fake_aep.plan = [fault]  # the first request (100 events) is stored, its answer lost
    pipeline.put(events_key(), gzip_lines(events))

    results = pipeline.drain(pipeline.forwarder(HTTP_TIMEOUT_SECONDS="0.5"))

    assert_stored_once(fake_aep, events)
    # The first batch is kept for a check in AEP (they are there: stored once).
    unknown = pipeline.kept("unknown")
    assert {xdm.event_id(r["event"]) for r in unknown} == ids(events[:100])
    assert all(
        r["reason"].startswith(("ANSWER_LOST", "HTTP_500", "UNMATCHED_207")) for r in unknown
    )
    # The rest of the object waits for the queue's retry, then goes through.
    assert results[0]["batchItemFailures"] and results[-1]["batchItemFailures"] == []
    checkpoint = pipeline.checkpoint(events_key())
    assert (checkpoint["complete"], checkpoint["accepted"], checkpoint["unknown"]) == (
        True,
        50,
        100,
    )


def test_a_request_never_sent_is_retried(pipeline, fake_aep):
    """Refused connections: AEP never saw the request, so retrying is safe."""
    events = [sms_event(i) for i in range(20)]
    pipeline.put(events_key(), gzip_lines(events))
    closed_port = pipeline.forwarder(AEP_INLET_URL="http://127.0.0.1:9/collection/batch/x")

    result = pipeline.deliver(closed_port)

    assert len(result["batchItemFailures"]) == 1
    assert len(pipeline.sleeps) == 2  # MAX_ATTEMPTS=3: retried with backoff
    assert pipeline.kept("unknown") == []
    pipeline.drain(pipeline.forwarder())
    assert_stored_once(fake_aep, events)


@pytest.mark.parametrize("status", [408, 429, 503])
def test_refusals_before_processing_are_retried(pipeline, fake_aep, status):
    events = [sms_event(i) for i in range(20)]
    fake_aep.plan = [status, status]
    pipeline.put(events_key(), gzip_lines(events))

    results = pipeline.drain(pipeline.forwarder())

    assert results[0]["batchItemFailures"] == []
    assert len(fake_aep.batch_requests) == 3
    assert_stored_once(fake_aep, events)
    assert pipeline.kept("unknown") == []


class FailingCheckpointWrites:
    """S3 client whose checkpoint writes fail from the `after`-th one on (an S3
    outage, or the function stopping, right after AEP accepted a batch)."""

    def __init__(self, s3, after: int):
        self._s3, self._after = s3, after

    def __getattr__(self, name):
        return getattr(self._s3, name)

    def put_object(self, **kwargs):
        if "checkpoints/" in kwargs["Key"]:
            self._after -= 1
            if self._after < 0:
                error = {"Error": {"Code": "ServiceUnavailable", "Message": "S3 down"}}
                raise ClientError(error, "PutObject")
        return self._s3.put_object(**kwargs)


def test_progress_lost_after_aep_accepted_is_not_reposted(pipeline, fake_aep):
    events = [sms_event(i) for i in range(150)]
    pipeline.put(events_key(), gzip_lines(events))
    pipeline.aws.s3, real = FailingCheckpointWrites(pipeline.aws.s3, after=1), pipeline.aws.s3
    broken = pipeline.forwarder()  # marks batch 1 in flight, posts it, cannot record it

    result = pipeline.deliver(broken)

    assert len(result["batchItemFailures"]) == 1
    assert len(fake_aep.batch_requests) == 1
    pipeline.aws.s3 = real
    pipeline.drain(pipeline.forwarder())
    assert_stored_once(fake_aep, events)
    unknown = pipeline.kept("unknown")
    assert {xdm.event_id(r["event"]) for r in unknown} == ids(events[:100])
    assert {r["reason"] for r in unknown} == {"INTERRUPTED"}
