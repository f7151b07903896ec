"""The capacity model in bench/capacity.py (documented in the README)."""

import capacity
import pytest


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
