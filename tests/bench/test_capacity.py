"""The capacity model in bench/capacity.py (documented in the README)."""

import pytest

from bench import capacity


def test_littles_law_with_headroom():
    s = capacity.size_for(rate_tps=200, latency_ms=100, sms_mps=1000)
    assert s.lambda_concurrency == 30  # 200/s x 0.1 s x 1.5
    assert s.api_rate_limit == 200
    assert s.api_burst_limit == 400


def test_gateway_limits_follow_sms_mps_not_ajo_rate():
    s = capacity.size_for(rate_tps=5000, latency_ms=50, sms_mps=100)
    assert s.api_rate_limit == 100
    assert s.reserved_concurrency == 8  # 100/s x 0.05 s x 1.5 = 7.5
    assert s.lambda_concurrency == 375  # what 5,000/s would need unthrottled


@pytest.mark.parametrize("args", [(0, 10, 1), (10, 0, 1), (10, 10, 0)])
def test_rejects_non_positive_inputs(args):
    with pytest.raises(ValueError):
        capacity.size_for(*args)


def test_table_covers_floor_and_cap():
    text = capacity.table([20.0], sms_mps=100)
    assert "| 200 | 20 |" in text and "| 5,000 | 20 |" in text


def test_a_million_messages_at_3_mps_take_3_9_days():
    d = capacity.drain(1_000_000, mps=3)
    assert round(d.seconds) == 333_333
    assert capacity.duration(d.seconds) == "3.9 days"
    assert not d.fits
    assert d.deliverable == 43_200  # 4 h x 3 parts/s
    assert str(d) == (
        "1,000,000 messages (1,000,000 parts) drain in 3.9 days; exceeds the 4.0 h "
        "validity: 956,800 messages would expire unsent"
    )


def test_drain_counts_message_parts():
    d = capacity.drain(10_000, mps=10, segments=2, validity_seconds=3600)
    assert d.parts == 20_000 and d.seconds == 2_000
    assert d.fits and d.deliverable == 10_000
    assert str(d).endswith("fits the 1.0 h validity")


def test_drain_at_the_validity_boundary_fits():
    assert capacity.drain(43_200, mps=3).fits  # exactly 14,400 s


@pytest.mark.parametrize("args", [(-1, 3), (10, 0), (10, 3, 0), (10, 3, 1, 0)])
def test_drain_rejects_bad_inputs(args):
    with pytest.raises(ValueError):
        capacity.drain(*args)


def test_duration_units():
    assert capacity.duration(45) == "45 s"
    assert capacity.duration(90) == "1.5 min"
    assert capacity.duration(9000) == "2.5 h"
