"""Cost of the EMF metrics on the send function's hot path: the request's log line
with its Embedded Metric Format members, against the same line without them.

Both arms format and write the line the function prints once per request (to
/dev/null); the difference is what counting the outcome adds. Target: at most 5 us
per request on the machine that runs it.

Usage: PYTHONPATH=tests python -m bench.bench_metrics [--json out.json] [--number N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import timeit
from pathlib import Path

from harness.functions import function_dir

function_dir("sms_send")
from ajo_sms_send.telemetry import (  # noqa: E402 - needs the path above
    JsonLog,
    request_emf,
    request_values,
)

TARGET_OVERHEAD_US = 5.0
# A sent request's fields, as app.handle has them when it logs.
FIELDS = {
    "api": "v2", "destination": "+1415*****00", "dryRun": False, "segments": 1, "status": 200,
    "messageId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "attempts": 1,
    "requestId": "6f1c9c3e-1111-2222-3333-444455556666",
    "apiRequestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "durationMs": 0.412,
}  # fmt: skip


def measure(number: int = 20_000, repeat: int = 7) -> dict:
    log = JsonLog()
    emf = request_emf({"AWS_LAMBDA_FUNCTION_NAME": "ajo-sms-sms-send"})

    def plain():
        log.log("INFO", "sms_send", FIELDS)

    def with_metrics():
        log.log("INFO", "sms_send", FIELDS, emf.fragment(*request_values(FIELDS)))

    runs: dict[str, list[float]] = {"plain": [], "metrics": []}
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        for _ in range(repeat):  # interleaved, so drift hits both arms alike
            for name, arm in (("plain", plain), ("metrics", with_metrics)):
                runs[name].append(timeit.timeit(arm, number=number) / number * 1e6)
    floor, subject = statistics.median(runs["plain"]), statistics.median(runs["metrics"])
    return {
        "case": "send log line with EMF metrics",
        "floor": "the same log line without them",
        "floor_us": floor,
        "subject_us": subject,
        "overhead_us": subject - floor,
        "ratio": subject / floor,
        "target_overhead_us": TARGET_OVERHEAD_US,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--number", type=int, default=20_000)
    args = parser.parse_args()
    row = measure(args.number)
    print(
        f"{row['case']}: {row['subject_us']:.2f} us vs {row['floor_us']:.2f} us "
        f"({row['floor']}): +{row['overhead_us']:.2f} us, target <= {TARGET_OVERHEAD_US} us"
    )
    if args.json:
        args.json.write_text(json.dumps(row, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
