"""Capacity model: how to size the module for an AJO journey.

Little's law gives the Lambda concurrency a request rate needs:
concurrency = rate x time each request holds a function instance. The SMS
rate is bounded by the origination identities' MPS (messages per second),
not by AWS Lambda or API Gateway: above it, End User Messaging throttles,
the function answers 429 with Retry-After and AJO retries (at most 3 times
inside the journey timeout). So the gateway rate limit should sit at the
SMS MPS, where extra calls are refused before they cost a Lambda invocation.

Queued delivery drains a journey at the MPS: N messages of S parts take
N x S / MPS seconds, and whatever is still queued at the validity deadline
expires unsent (recorded EXPIRED).

    python bench/capacity.py --latency-ms 60 --mps 100
    python bench/capacity.py --mps 3 --drain 1000000 --validity-seconds 14400
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


@dataclass(frozen=True)
class Drain:
    messages: int
    parts: int
    seconds: float
    validity_seconds: float
    deliverable: int  # messages sent before the validity deadline

    @property
    def fits(self) -> bool:
        return self.seconds <= self.validity_seconds

    def __str__(self) -> str:
        verdict = (
            f"fits the {duration(self.validity_seconds)} validity"
            if self.fits
            else f"exceeds the {duration(self.validity_seconds)} validity: "
            f"{self.messages - self.deliverable:,} messages would expire unsent"
        )
        return (
            f"{self.messages:,} messages ({self.parts:,} parts) drain in "
            f"{duration(self.seconds)}; {verdict}"
        )


def drain(messages: int, mps: float, segments: int = 1, validity_seconds: float = 14400) -> Drain:
    """Time for queued delivery to send `messages` of `segments` parts at `mps` parts/s."""
    if messages < 0 or mps <= 0 or segments < 1 or validity_seconds <= 0:
        raise ValueError("messages >= 0, MPS and validity > 0, segments >= 1")
    parts = messages * segments
    return Drain(
        messages=messages,
        parts=parts,
        seconds=parts / mps,
        validity_seconds=validity_seconds,
        deliverable=min(messages, math.floor(validity_seconds * mps / segments)),
    )


def duration(seconds: float) -> str:
    """Seconds in the largest unit that keeps the number >= 1 (3.9 days, 2.5 h)."""
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"


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
    parser.add_argument("--latency-ms", type=float, action="append", default=[])
    parser.add_argument("--mps", type=float, required=True, help="sum of the identities' MPS")
    parser.add_argument("--drain", type=int, metavar="N", help="queued: time to send N messages")
    parser.add_argument("--segments", type=int, default=1, help="parts per message (--drain)")
    parser.add_argument("--validity-seconds", type=float, default=14400, help="(--drain)")
    args = parser.parse_args()
    if args.drain is None and not args.latency_ms:
        parser.error("give --latency-ms (sizing) and/or --drain (queued delivery)")
    if args.latency_ms:
        print(table(args.latency_ms, args.mps))
    if args.drain is not None:
        print(drain(args.drain, args.mps, args.segments, args.validity_seconds))


if __name__ == "__main__":
    main()
