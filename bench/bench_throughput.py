"""Sustained throughput of the send handler with N threads, against the bare client.

Each arm runs for a fixed time with N threads calling in a loop, all sharing one
process (the handler's module-scope client, or one bare botocore client with the
handler's parameters), against the loopback SMS API in its own process. The figures:
requests per second, and the CPU time this process spends per request, which is what
the function itself costs a Lambda instance (everything else is waiting on the SMS API).
Each arm's time is cut into slices that alternate with the other arm's.

Read with care: in one Python process the threads share one GIL, and on a 2-core
machine the client, the loopback server and any background work share two cores, so
the plateau here is the machine's, not AWS's. The ratio of handler to bare throughput
at the same thread count is the part that is the function's; in Lambda each instance
serves one request at a time and concurrency comes from more instances.

Usage: python -m bench.bench_throughput [--threads 1,2,4,8] [--seconds S] [--json out.json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench import bench_send


def run_arm(call: Callable[[], None], threads: int, seconds: float) -> dict:
    """N threads calling `call` for `seconds`: requests, wall and this process's CPU time."""
    stop = threading.Event()
    start = threading.Barrier(threads + 1)
    counts = [0] * threads
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors: list[BaseException] = []

    def worker(slot: int) -> None:
        clock = time.perf_counter
        start.wait()
        try:
            while not stop.is_set():
                t0 = clock()
                call()
                latencies[slot].append((clock() - t0) * 1e6)
                counts[slot] += 1
        except BaseException as error:  # reported below, after the others stop
            errors.append(error)
            stop.set()

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    start.wait()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in pool:
        thread.join()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    if errors:
        raise RuntimeError(f"throughput arm failed: {errors[0]!r}")
    return {
        "requests": sum(counts),
        "wall_s": wall,
        "cpu_s": cpu,
        "latencies_us": [v for slot in latencies for v in slot],
    }


def combine(slices: list[dict]) -> dict:
    """Figures of one arm over its time slices."""
    total = sum(s["requests"] for s in slices)
    wall = sum(s["wall_s"] for s in slices)
    cpu = sum(s["cpu_s"] for s in slices)
    merged = [v for s in slices for v in s["latencies_us"]]
    return {
        "requests": total,
        "requests_per_second": total / wall if wall else 0.0,
        "cpu_us_per_request": cpu / total * 1e6 if total else None,
        "latency_median_us": statistics.median(merged) if merged else None,
        "latency_p99_us": bench_send.percentile(merged, 0.99) if merged else None,
    }


def measure(
    sms_url: str, thread_counts: list[int], seconds: float, order: int = 0, slices: int = 6
) -> list[dict]:
    import boto3

    handler = bench_send.load_handler(
        {
            **bench_send.FAKE_AWS,
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_url,
            "CONFIGURATION_SET_NAME": bench_send.CONFIGURATION_SET,
        }
    )
    os.environ.update(bench_send.FAKE_AWS)
    bare = boto3.client("pinpoint-sms-voice-v2", endpoint_url=sms_url)
    event = bench_send.api_event(
        {"destinationNumber": bench_send.NUMBER, "message": bench_send.MESSAGE}
    )

    def handler_call():
        response = handler.handler(event, None)
        if response["statusCode"] != 200:
            raise RuntimeError(response)

    def bare_call():
        bare.send_text_message(
            DestinationPhoneNumber=bench_send.NUMBER,
            MessageBody=bench_send.MESSAGE,
            MessageType="TRANSACTIONAL",
            ConfigurationSetName=bench_send.CONFIGURATION_SET,
        )

    rows = []
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):  # handler logs
        run_arm(handler_call, max(thread_counts), 0.3)  # warm every pooled connection
        run_arm(bare_call, max(thread_counts), 0.3)
        for n, threads in enumerate(thread_counts):
            arms = {"bare": bare_call, "handler": handler_call}
            done: dict[str, list[dict]] = {"bare": [], "handler": []}
            # Short slices, alternating arms, so drift on a busy machine hits both alike.
            for k in range(slices):
                first = "bare" if (n + k + order) % 2 == 0 else "handler"
                for name in (first, "handler" if first == "bare" else "bare"):
                    done[name].append(run_arm(arms[name], threads, seconds / slices))
            measured = {name: combine(parts) for name, parts in done.items()}
            rows.append(
                {
                    "threads": threads,
                    "seconds": seconds,
                    "slices": slices,
                    "floor": "bare send_text_message, same threads",
                    "bare": measured["bare"],
                    "handler": measured["handler"],
                    "ratio": measured["handler"]["requests_per_second"]
                    / measured["bare"]["requests_per_second"],
                    "cpu_ratio": measured["handler"]["cpu_us_per_request"]
                    / measured["bare"]["cpu_us_per_request"],
                }
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,2,4,8", help="comma-separated thread counts")
    parser.add_argument("--seconds", type=float, default=2.0, help="per arm and thread count")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    counts = [int(t) for t in args.threads.split(",")]
    with bench_send.loopback_sms_server() as sms_url:
        rows = measure(sms_url, counts, args.seconds)
    print(f"send handler throughput, {os.cpu_count()} cpus (machine-bound, see the docstring)")
    for row in rows:
        print(
            f"{row['threads']:>2} threads: handler {row['handler']['requests_per_second']:.0f}/s "
            f"({row['handler']['cpu_us_per_request']:.0f} us CPU/req), bare "
            f"{row['bare']['requests_per_second']:.0f}/s "
            f"({row['bare']['cpu_us_per_request']:.0f} us CPU/req), ratio {row['ratio']:.3f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
