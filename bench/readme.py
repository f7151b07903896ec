"""`make docs`: the README's capacity table, from the figures `make bench` saved.

The bench only measures and saves (bench/results/bench.json); writing the README is this
explicit step, so a benchmark run never edits a tracked file. Without saved figures the
table is left as it is.

Usage: python -m bench.readme [--from-json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from harness import REPO

from bench import capacity
from bench.run import RESULTS, summarize

README = REPO / "README.md"
BEGIN, END = "<!-- BEGIN_CAPACITY -->", "<!-- END_CAPACITY -->"

# SMS API latencies for the capacity table that this machine cannot measure (AWS publishes
# no SendTextMessage latency; in-region calls are typically tens of milliseconds).
ASSUMED_SMS_LATENCIES_MS = (20.0, 50.0, 100.0, 250.0)


def capacity_rows(overhead_us: float, loopback_ms: float) -> list[dict]:
    """Concurrency at AJO's floor and cap for each SMS API latency (measured or assumed)."""
    cases = [(loopback_ms, "measured: loopback stand-in, a lower bound")]
    cases += [(ms, "assumed") for ms in ASSUMED_SMS_LATENCIES_MS]
    cases.append((capacity.AJO_SLOW_LANE_SECONDS * 1000, "AJO's slow-lane threshold"))
    rows = []
    for sms_ms, source in cases:
        per_request_ms = sms_ms + max(overhead_us, 0.0) / 1000
        row = {"sms_latency_ms": sms_ms, "source": source, "per_request_ms": per_request_ms}
        for label, rate in (
            ("floor", capacity.AJO_THROTTLING_FLOOR_TPS),
            ("cap", capacity.AJO_DEFAULT_CAP_TPS),
        ):
            # sms_mps does not change Lambda concurrency at the offered rate.
            raw = capacity.size_for(rate, per_request_ms, sms_mps=rate, headroom=1.0)
            headroom = capacity.size_for(rate, per_request_ms, sms_mps=rate)
            row[f"{label}_needed"] = raw.lambda_concurrency
            row[f"{label}_to_set"] = headroom.lambda_concurrency
        rows.append(row)
    return rows


def capacity_block(summary: dict, environment: dict) -> str:
    """The README's capacity section (between the markers), from the measured figures."""
    send, path = summary["send"], summary["path"]
    rows = capacity_rows(send["overhead_median_us"], round(send["floor_median_us"] / 1000, 2))
    lines = [
        f"Figures from `make bench` (`bench/run.py`, commit {environment.get('commit', '?')}) "
        f"on {environment['date']}: {environment.get('cpu_model', environment['machine'])}, "
        f"{environment['cpus']} vCPUs "
        f"shared with a background build (load {environment['load_average'][0]:.1f}), Python "
        f"{environment['python']}, median of {environment['repeat']} repeats; table written by "
        "`make docs` from the saved figures (`bench/results/bench.json`).",
        "",
        "Lambda concurrency = AJO's rate x the time each call holds a send-function instance "
        "(Little's law, `bench/capacity.py`); that time is the SMS API's latency plus the "
        "function's own overhead.",
        "",
        f"- **Measured** by `make bench` (request-path figure): the send function adds "
        f"{send['overhead_median_us']:.0f} µs median over a bare `SendTextMessage` to the "
        f"same endpoint; with the authorizer called on every request too, "
        f"{path['overhead_median_us']:.0f} µs (API Gateway caches the authorizer's answer, "
        "300 s by default, so it runs far less often and needs next to no concurrency). "
        f"The loopback SMS API answers in {send['floor_median_us'] / 1000:.2f} ms, a lower "
        f"bound. p99 per arm: {send['handler_p99_us'] / 1000:.2f} ms with the function, "
        f"{send['floor_p99_us'] / 1000:.2f} ms bare (the tails are the shared machine's).",
        "- **Assumed**: SMS API latencies of "
        + ", ".join(f"{ms:g}" for ms in ASSUMED_SMS_LATENCIES_MS)
        + " ms (AWS publishes none; read yours from the function's duration metric), and "
        "AJO's 750 ms slow-lane threshold as the worst case.",
        "- *needed* is rate x latency; *to set* adds the model's 1.5x headroom for latency "
        "spikes and AJO's retries. Lambda's own invoke overhead is not included.",
        "",
        "| SMS API latency (ms) | source | per request (ms) | at 200/s: needed | to set "
        "| at 5,000/s: needed | to set |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['sms_latency_ms']:g} | {r['source']} | {r['per_request_ms']:.2f} "
            f"| {r['floor_needed']} | {r['floor_to_set']} | {r['cap_needed']:,} "
            f"| {r['cap_to_set']:,} |"
        )
    lines += [
        "",
        "These are the concurrencies AJO's offered rate would need. What can be delivered is "
        "capped by the SMS MPS; the API limits still stay at AJO's rate (200/s or more: "
        "below it AJO's calls are 429 and, after 3 retries, lost), and queued delivery paces "
        "sends to the MPS. Beyond 1,000 (the default regional Lambda concurrency quota) ask "
        "AWS for a raise.",
    ]
    return "\n".join(lines)


def replace_block(text: str, block: str) -> str:
    """`text` with everything between the capacity markers replaced by `block`."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README has no {BEGIN} ... {END} block")
    return text[: start + len(BEGIN)] + "\n" + block.strip("\n") + "\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-json", type=Path, default=RESULTS, help=f"default {RESULTS}")
    args = parser.parse_args(argv)
    if not args.from_json.is_file():
        print(f"no {args.from_json}: run `make bench` first; the capacity table is unchanged")
        return 0
    result = json.loads(args.from_json.read_text())
    block = capacity_block(summarize(result["repeats"]), result["environment"])
    README.write_text(replace_block(README.read_text(), block))
    print(f"capacity table written to {README} ({BEGIN} block) from {args.from_json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
