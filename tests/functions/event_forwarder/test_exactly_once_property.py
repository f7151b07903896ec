"""Property: whatever AEP answers, in whatever order, once the queue drains
every event was stored by AEP at most once, and each one is accepted, kept as
a reject, or kept as unknown (AEP may have it) - never lost, never posted
again once AEP may have stored it, even when it went through the DLQ."""

from __future__ import annotations

import itertools
import zlib
from collections import Counter

from event_forwarder import xdm
from harness.fake_aep import LOST_ANSWERS
from harness.forwarder_testkit import events_key, gzip_lines, sms_event
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# One scripted answer per batch request: healthy, a whole-request failure, a
# revoked token, a lost answer after AEP stored the request, or a 207 where
# some messages fail transiently or for good.
answers = st.one_of(
    st.just(None),
    st.sampled_from([429, 500, 502, 503, 504, "revoke", *LOST_ANSWERS]),
    st.tuples(st.just("partial"), st.integers(0, 2**16), st.sampled_from([400, 503])),
)
_keys = itertools.count()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    count=st.integers(1, 40),
    batch=st.integers(1, 12),
    script=st.lists(answers, max_size=12),
)
def test_no_event_lost_or_duplicated(pipeline, fake_aep, count, batch, script):
    fake_aep.plan, fake_aep.accepted, fake_aep.batch_requests = [], [], []
    events = [sms_event(i, journey=f"j{next(_keys)}") for i in range(count)]
    permanent: set[str] = set()
    transient_seen: set[str] = set()

    def step(answer):
        if answer is None or isinstance(answer, int | str):
            return answer
        _, seed, status = answer

        def partial(messages):
            # Decide per message from the seed; a transient failure recovers later.
            def message_status(position, message):
                ident = message["body"]["xdmEntity"]["_id"]
                if ident in permanent:
                    return 400
                if zlib.crc32(f"{seed}:{ident}".encode()) & 3 == 0:
                    if status == 400:
                        permanent.add(ident)
                        return 400
                    if ident not in transient_seen:
                        transient_seen.add(ident)
                        return 503
                return None

            fake_aep.message_status = message_status
            return None

        return partial

    fake_aep.plan = [step(a) for a in script]
    fake_aep.message_status = None
    key = events_key(f"prop-{next(_keys)}")
    pipeline.put(key, gzip_lines(events))

    fake_aep.hang_seconds = 0.3
    forward = pipeline.forwarder(BATCH_MAX_EVENTS=batch, MAX_ATTEMPTS=2, HTTP_TIMEOUT_SECONDS=0.2)
    # The queue drains: every failure is retried, and an object that ran out
    # of receives (one per unknown outcome) is redriven from the DLQ.
    for _ in range(60):
        if pipeline.deliver(forward) is None and not pipeline.redrive():
            break
    fake_aep.message_status = None

    stored = Counter(fake_aep.accepted_ids())
    assert all(n == 1 for n in stored.values()), "an event was stored twice"

    def kept(kind: str) -> set[str]:
        return {xdm.event_id(r["event"]) for r in pipeline.kept(kind) if r["source"].endswith(key)}

    rejected, unknown = kept("rejected"), kept("unknown")
    expected = {xdm.event_id(e) for e in events}
    assert set(stored) | rejected | unknown == expected, "an event was lost"
    assert not set(stored) & rejected and not rejected & unknown
    checkpoint = pipeline.checkpoint(key)
    assert checkpoint["complete"] is True
    assert checkpoint["unknown"] == len(unknown)
    assert checkpoint["accepted"] == len(set(stored) - unknown)
