"""Property: whatever AEP answers, in whatever order, once the queue drains
every event was accepted exactly once or kept as a reject - never lost, never
posted again after AEP accepted it."""

from __future__ import annotations

import itertools
import zlib
from collections import Counter

from aep_forwarder import xdm
from forwarder_testkit import events_key, gzip_lines, sms_event
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# One scripted answer per batch request: healthy, a whole-request failure, a
# revoked token, or a 207 where some messages fail transiently or for good.
answers = st.one_of(
    st.just(None),
    st.sampled_from([429, 500, 502, 503, 504, "revoke"]),
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

    forward = pipeline.forwarder(BATCH_MAX_EVENTS=batch, MAX_ATTEMPTS=2)
    for _ in range(30):  # the queue drains: every failure is retried
        if pipeline.deliver(forward) is None:
            break
    fake_aep.message_status = None

    accepted = Counter(fake_aep.accepted_ids())
    assert all(n == 1 for n in accepted.values()), "an event was posted twice"
    rejected = {xdm.event_id(r["event"]) for r in pipeline.rejects() if r["source"].endswith(key)}
    expected = {xdm.event_id(e) for e in events}
    assert set(accepted) | rejected == expected, "an event was lost"
    assert not set(accepted) & rejected
    assert pipeline.checkpoint(key)["complete"] is True
