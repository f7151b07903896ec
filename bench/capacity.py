"""Capacity model: how to size the module for an AJO journey.

Little's law gives the Lambda concurrency a request rate needs:
concurrency = rate x time each request holds a function instance. The SMS
rate is bounded by the origination identities' MPS (messages per second),
not by AWS Lambda or API Gateway: above it, End User Messaging throttles,
the function answers 429 with Retry-After and AJO retries (at most 3 times
inside the journey timeout). So the gateway rate limit should sit at the
SMS MPS, where extra calls are refused before they cost a Lambda invocation.

    python bench/capacity.py --latency-ms 60 --mps 100
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass

AJO_THROTTLING_FLOOR_TPS = 200  # AJO will not throttle an endpoint below this
AJO_DEFAULT_CAP_TPS = 300_000 / 60  # 300,000 calls per minute per host = 5,000/s
AJO_SLOW_LANE_SECONDS = 0.75  # endpoints slower than this move to a slower lane

# Default MPS per origination identity (US). Raised by AWS on request.
MPS_PER_IDENTITY = {"10DLC": 1, "TOLL_FREE": 3, "SHORT_CODE": 100, "SIMULATOR": 1}


@dataclass(frozen=True)
class Sizing:
    rate_tps: float
    latency_ms: float
    lambda_concurrency: int
    reserved_concurrency: int
    api_rate_limit: int
    api_burst_limit: int


def size_for(rate_tps: float, latency_ms: float, sms_mps: float, headroom: float = 1.5) -> Sizing:
    """Settings for an offered AJO rate, a per-request latency and the SMS MPS.

    `headroom` covers latency spikes and AJO's retries. Calls above the SMS
    MPS cannot be delivered any faster, so the gateway refuses them (429)
    rather than invoking the function for an SMS API throttle.
    """
    if rate_tps <= 0 or latency_ms <= 0 or sms_mps <= 0 or headroom < 1:
        raise ValueError("rate, latency and MPS must be positive, headroom >= 1")
    served = min(rate_tps, sms_mps)
    needed = rate_tps * latency_ms / 1000
    return Sizing(
        rate_tps=rate_tps,
        latency_ms=latency_ms,
        lambda_concurrency=max(1, math.ceil(needed * headroom)),
        reserved_concurrency=max(1, math.ceil(served * latency_ms / 1000 * headroom)),
        api_rate_limit=max(1, math.ceil(served)),
        api_burst_limit=max(1, math.ceil(served * 2)),
    )


def table(latencies_ms: list[float], sms_mps: float) -> str:
    rows = [
        "| AJO rate (calls/s) | latency (ms) | Lambda concurrency at that rate "
        "| reserved concurrency | API rate limit | API burst |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for rate in (AJO_THROTTLING_FLOOR_TPS, AJO_DEFAULT_CAP_TPS):
        for latency in latencies_ms:
            s = size_for(rate, latency, sms_mps)
            rows.append(
                f"| {rate:,.0f} | {latency:g} | {s.lambda_concurrency} | "
                f"{s.reserved_concurrency} | {s.api_rate_limit} | {s.api_burst_limit} |"
            )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description="Size Lambda and API Gateway for AJO traffic.")
    parser.add_argument("--latency-ms", type=float, action="append", required=True)
    parser.add_argument("--mps", type=float, required=True, help="sum of the identities' MPS")
    args = parser.parse_args()
    print(table(args.latency_ms, args.mps))


if __name__ == "__main__":
    main()
