"""Backoff.before_retry: the one wait between two attempts of a request."""

from __future__ import annotations

import math

import pytest
from ajo_runtime import backoff, http
from harness.clock import Clock


def retry(clock: Clock, max_attempts=5, base=1.0, cap=8.0, margin=0.0, jitter=1.0):
    return backoff.Backoff(
        max_attempts, base, cap, margin, sleep=clock.sleep, clock=clock, jitter=lambda: jitter
    )


def test_sleeps_the_exponential_delay_and_says_go_on():
    clock = Clock()
    wait = retry(clock, jitter=0.0)
    assert [wait.before_retry(attempt) for attempt in (1, 2, 3, 4)] == [True] * 4
    # base * 2^(attempt-1), capped at 8, times 0.5 (the jitter factor at its lowest)
    assert clock.slept == [0.5, 1.0, 2.0, 4.0]


def test_no_sleep_after_the_last_attempt():
    clock = Clock()
    assert retry(clock, max_attempts=3).before_retry(3) is False
    assert retry(clock, max_attempts=1).before_retry(1) is False
    assert clock.slept == []


def test_no_sleep_when_the_next_attempt_could_not_end_before_the_deadline():
    clock = Clock()
    wait = retry(clock, base=2.0, margin=3.0)  # attempt 1: sleeps 2 s (jitter factor ~1)
    assert wait.before_retry(1, deadline=clock.now + 2.0 * (0.5 + 1.0 / 2) + 3.0) is False
    assert clock.slept == []
    assert wait.before_retry(1, deadline=clock.now + 5.001) is True
    assert clock.slept == [2.0]


def test_the_margin_is_what_the_deadline_must_leave_room_for():
    clock = Clock()
    deadline = clock.now + 1.5
    assert retry(clock, margin=0.0).before_retry(1, deadline) is True  # 1 s sleep fits
    assert retry(clock, margin=1.0).before_retry(1, deadline + 1.0) is False  # 1 + 1 does not
    assert clock.slept == [1.0]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", 3.0),  # a server's Retry-After beats the own backoff (0.5 s here)
        ("120", 32.0),  # bounded by 4 x cap
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.5),  # an HTTP date: the own backoff
        (None, 0.5),
    ],
)
def test_retry_after_of_the_answer_is_honoured(header, expected):
    clock = Clock()
    headers = {"retry-after": header} if header is not None else {}
    answer = http.Response(503, b"", headers)
    assert retry(clock, jitter=0.0).before_retry(1, math.inf, answer) is True
    assert clock.slept == [expected]


def test_a_retry_after_that_passes_the_deadline_stops_the_retries():
    clock = Clock()
    answer = http.Response(429, b"", {"retry-after": "30"})
    assert retry(clock).before_retry(1, clock.now + 10, answer) is False
    assert clock.slept == []


def test_without_an_answer_or_a_deadline_only_the_attempts_bound_it():
    clock = Clock()
    wait = retry(clock, max_attempts=3, base=1000.0, cap=1000.0)
    assert wait.before_retry(1) is True and wait.before_retry(2) is True
    assert wait.before_retry(3) is False
    assert clock.slept == [1000.0, 1000.0]


def test_jitter_spreads_the_wait_over_half_to_all_of_the_delay():
    clock = Clock()
    for jitter in (0.0, 0.5, 0.999):
        retry(clock, base=4.0, jitter=jitter).before_retry(1)
    assert clock.slept == pytest.approx([2.0, 3.0, 3.998])
