"""`make bench`: every figure of issue 8, measured in one run on this machine.

Each figure is set against a floor measured in the same run (the bare AWS call, a fresh
interpreter importing boto3, ...) and reported as a ratio. The warm, cold and throughput
figures are repeated (--repeat, default 3); each table row is the repeat with the median
ratio, with the spread (min..max) of the ratio over all repeats. Targets print PASS or
MISS; only --strict makes a miss fail the run. Figures go to bench/results/bench.json.

  bench_path        authorizer -> send handler -> loopback SMS API, vs bare SendTextMessage
  bench_send        send with idempotency on, vs bare send + the two DynamoDB writes
  bench_authorizer  warm-cache authorizer call, vs a bare compare_digest loop
  bench_metrics     the send log line with its EMF metrics, vs the same line without
  bench_cold        cold start of every function from its dist zip; zip sizes
  bench_throughput  send handler with N threads, vs the bare client with N threads
  bench_wall        `make test` and a plan of examples/complete (skip: --skip-wall)
  bench_burst       issue 13: a burst at 10 x MPS, direct vs queued delivery, once per run
                    (not repeated; skip: --skip-burst)

The README's capacity table is not written here: `make docs` (bench/readme.py) writes it
from the saved figures. `--from-json bench/results/bench.json` prints a saved run again.

Usage: python -m bench.run [--repeat N] [--skip-wall] [--skip-burst] [--strict]
                           [--quick] [--from-json FILE]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import REPO
from harness.moto_server import moto_process

RESULTS = REPO / "bench" / "results" / "bench.json"


# --- pure helpers (tested in tests/bench/test_run.py) ----------------------------------------


def spread(values: list[float]) -> dict:
    """min / median / max of one figure over the repeats."""
    if not values:
        raise ValueError("no values")
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def check(value: float | None, limit: float | None) -> str:
    """PASS / MISS against an upper limit; '' where there is no target or no figure."""
    if limit is None or value is None:
        return ""
    return "PASS" if value <= limit else "MISS"


def median_repeat(rows: list[dict]) -> dict:
    """The repeat whose ratio is the median (the lower one for an even count).

    Its figures are shown together, so floor, subject and ratio in one row always come
    from the same measurement (medians taken field by field over repeats of a busy
    machine can contradict each other)."""
    return sorted(rows, key=lambda r: r["ratio"])[(len(rows) - 1) // 2]


def summarize(repeats: list[dict]) -> dict:
    """Per figure: the median repeat's row, the spread of the ratio (and of the overhead)."""
    summary: dict = {}

    def add(key: str, rows: list[dict], fields: tuple[str, ...] = ()) -> None:
        entry = dict(median_repeat(rows))
        entry["ratio_spread"] = spread([r["ratio"] for r in rows])
        for field in fields:
            entry[f"{field}_spread"] = spread([r[field] for r in rows])
        entry["repeats"] = len(rows)
        summary[key] = entry

    add("path", [r["path"]["path"] for r in repeats], ("overhead_median_us",))
    add("send", [r["path"]["send"] for r in repeats], ("overhead_median_us",))
    add("idempotency", [r["idempotency"] for r in repeats], ("overhead_median_us",))
    add("authorizer", [_authorizer_row(r["authorizer"]) for r in repeats], ("overhead_us",))
    add("metrics", [r["metrics"] for r in repeats], ("overhead_us",))
    for name in [row["function"] for row in repeats[0]["cold"]]:
        add(f"cold:{name}", [next(c for c in r["cold"] if c["function"] == name) for r in repeats])
    for threads in [row["threads"] for row in repeats[0]["throughput"]]:
        rows = [next(t for t in r["throughput"] if t["threads"] == threads) for r in repeats]
        add(f"throughput:{threads}", [_flat_throughput(row) for row in rows])
    return summary


def _authorizer_row(result: dict) -> dict:
    """The worse of the current / previous key cases of bench_authorizer."""
    worst = max(result["rows"], key=lambda r: r["overhead_us"])
    return {
        "case": f"authorizer, warm cache ({worst['case']}, worst)",
        "floor": f"bare compare_digest over {result['candidates']} keys",
        "floor_us": worst["baseline_compare_digest_us"],
        "subject_us": worst["authorizer_us"],
        "overhead_us": worst["overhead_us"],
        "ratio": worst["ratio"],
    }


def _flat_throughput(row: dict) -> dict:
    return {
        "threads": row["threads"],
        "bare_rps": row["bare"]["requests_per_second"],
        "handler_rps": row["handler"]["requests_per_second"],
        "bare_cpu_us": row["bare"]["cpu_us_per_request"],
        "handler_cpu_us": row["handler"]["cpu_us_per_request"],
        "ratio": row["ratio"],
        "cpu_ratio": row["cpu_ratio"],
    }


def targets(summary: dict, zips: list[dict]) -> list[dict]:
    """Issue 8's targets, judged on the median repeat of each figure."""
    from bench import bench_authorizer, bench_metrics, bench_path, bench_send

    rows = [
        ("send overhead, median (us)", summary["send"]["overhead_median_us"],
         bench_send.TARGET_OVERHEAD_US),
        ("send ratio, median", summary["send"]["ratio"], bench_send.TARGET_RATIO),
        ("send + idempotency ratio, median", summary["idempotency"]["ratio"],
         bench_send.TARGET_RATIO_IDEMPOTENCY),
        ("request path overhead, median (us; derived 100 + 5)",
         summary["path"]["overhead_median_us"], bench_path.TARGET_PATH_OVERHEAD_US),
        ("authorizer overhead per warm call (us)", summary["authorizer"]["overhead_us"],
         bench_authorizer.TARGET_OVERHEAD_US),
        ("EMF metrics per request (us)", summary["metrics"]["overhead_us"],
         bench_metrics.TARGET_OVERHEAD_US),
    ]  # fmt: skip
    for key, entry in summary.items():
        if key.startswith("cold:"):
            rows.append((f"cold-start ratio, {entry['function']}", entry["ratio"], 1.2))
    for z in zips:
        if z["target_bytes"]:
            rows.append((f"{z['zip']} size (MB)", z["bytes"] / 2**20, z["target_bytes"] / 2**20))
    return [
        {"target": name, "value": value, "limit": limit, "verdict": check(value, limit)}
        for name, value, limit in rows
    ]


# --- measuring --------------------------------------------------------------------------------


def environment(repeat: int) -> dict:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_model": _cpu_model(),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()),
        "commit": commit,
        "repeat": repeat,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def measure(args: argparse.Namespace) -> dict:
    from bench import (
        bench_authorizer,
        bench_cold,
        bench_metrics,
        bench_path,
        bench_send,
        bench_throughput,
        bench_wall,
    )

    threads = [int(t) for t in args.threads.split(",")]
    result = {"environment": environment(args.repeat), "repeats": []}
    result["zips"] = bench_cold.zip_sizes()
    started = time.perf_counter()
    with (
        bench_send.loopback_sms_server() as sms_url,
        moto_process() as moto_url,
        bench_cold.fake_aep() as aep,
    ):
        functions = bench_cold.standard_functions(sms_url, moto_url, aep)
        for r in range(args.repeat):
            _progress(f"repeat {r + 1}/{args.repeat}: request path", started)
            one = {"path": bench_path.measure(sms_url, moto_url, args.requests)}
            _progress(f"repeat {r + 1}/{args.repeat}: send with idempotency", started)
            one["idempotency"] = bench_send.warm_idempotency(
                sms_url, moto_url, args.idempotency_requests
            )
            _progress(f"repeat {r + 1}/{args.repeat}: authorizer", started)
            one["authorizer"] = bench_authorizer.measure(args.authorizer_calls, 5)
            one["metrics"] = bench_metrics.measure()
            _progress(f"repeat {r + 1}/{args.repeat}: cold starts", started)
            one["cold"] = bench_cold.measure(functions, args.cold_runs)
            _progress(f"repeat {r + 1}/{args.repeat}: throughput", started)
            one["throughput"] = bench_throughput.measure(sms_url, threads, args.seconds, order=r)
            result["repeats"].append(one)
        if args.skip_burst:
            result["burst"] = {"skipped": "skipped: --skip-burst"}
        else:
            from bench import bench_burst

            _progress(f"burst: {args.burst_messages} messages, direct then queued", started)
            try:
                with bench_burst.moto_servers() as moto:
                    result["burst"] = bench_burst.measure(moto, args.burst_messages, args.burst_mps)
            except Exception as error:  # never lose the figures above to a burst failure
                result["burst"] = {"skipped": f"failed: {error!r}"[:500]}
        if args.skip_wall:
            result["wall"] = {"skipped": "skipped: --skip-wall", "rows": []}
        else:
            _progress("wall times: plan of examples/complete, make test", started)
            try:
                result["wall"] = bench_wall.measure(moto_url)
            except Exception as error:  # never lose the figures above to a wall-time failure
                result["wall"] = {"skipped": f"failed: {error!r}"[:500], "rows": []}
    result["environment"]["load_average_after"] = list(os.getloadavg())
    result["environment"]["bench_seconds"] = time.perf_counter() - started
    result["summary"] = summarize(result["repeats"])
    result["targets"] = targets(result["summary"], result["zips"]) + burst_targets(result)
    return result


def burst_targets(result: dict) -> list[dict]:
    """Issue 13's targets, from the burst figures when they were measured."""
    burst = result.get("burst") or {}
    if "queued" not in burst:
        return []
    from bench import bench_burst

    return bench_burst.targets(burst)


def _progress(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)


# --- the table --------------------------------------------------------------------------------


def _ratio(entry: dict) -> str:
    s = entry["ratio_spread"]
    return f"{entry['ratio']:.3f} [{s['min']:.3f}..{s['max']:.3f}]"


def table(result: dict) -> str:
    env, summary = result["environment"], result["summary"]
    out = [
        f"make bench on {env['date']}, commit {env['commit']}: Python {env['python']}, "
        f"{env['machine']}, {env['cpus']} CPUs (load {env['load_average'][0]:.1f} before, "
        f"{env['load_average_after'][0]:.1f} after; shared with a background build), "
        f"{env['repeat']} repeats, {env['bench_seconds']:.0f} s",
        "Each row: the repeat with the median ratio (subject / floor); [min..max]: the ratio",
        "over all repeats.",
        "",
    ]
    head = f"{'figure':<40}{'floor':>12}{'subject':>12}{'overhead':>11}  {'ratio [spread]':<24}"
    rule = "-" * len(head)

    out += ["WARM, per request (interleaved with the floor)", head, rule]
    for key, label in (
        ("path", "request path: authorizer -> send"),
        ("send", "send handler only"),
        ("idempotency", "send, idempotency on"),
    ):
        e = summary[key]
        out.append(
            f"{label + ' p50':<40}{e['floor_median_us']:>10.0f}us{e['handler_median_us']:>10.0f}us"
            f"{e['overhead_median_us']:>9.0f}us  {_ratio(e):<24}"
        )
        out.append(
            f"{'  p99':<40}{e['floor_p99_us']:>10.0f}us{e['handler_p99_us']:>10.0f}us"
            f"{e['overhead_p99_us']:>9.0f}us  {e['p99_ratio']:.3f}"
        )
    a = summary["authorizer"]
    out.append(
        f"{'authorizer call, warm key cache':<40}{a['floor_us']:>10.2f}us{a['subject_us']:>10.2f}us"
        f"{a['overhead_us']:>9.2f}us  {_ratio(a):<24}"
    )
    m = summary["metrics"]
    out.append(
        f"{'EMF metrics on the send log line':<40}{m['floor_us']:>10.2f}us"
        f"{m['subject_us']:>10.2f}us"
        f"{m['overhead_us']:>9.2f}us  {_ratio(m):<24}"
    )
    out += [
        "  p50 overhead: median of per-request differences; p99: per arm (on a busy machine",
        "  the tails are the machine's, and can fall on either arm).",
        "  floors: request path / send: bare SendTextMessage, same parameters and endpoint;",
        "  idempotency: bare send + claim PutItem + record PutItem (moto DynamoDB);",
        f"  authorizer: {a['floor']} (ratio of tiny numbers: read the overhead).",
        f"  EMF metrics: {m['floor']}.",
        "  authorizer share inside the path (noisy): "
        f"{summary['path']['authorizer_in_path_us']:.0f} us",
        "",
    ]  # fmt: skip

    head_c = f"{'cold start (zip, fresh interpreter)':<36}{'floor':>10}{'subject':>10}"
    head_c += f"{'init':>9}{'1st req':>9}{'p50/p50':>9}  {'paired ratio [spread]':<24}"
    out += ["COLD START, import + first request", head_c, "-" * len(head_c)]
    for key, e in summary.items():
        if key.startswith("cold:"):
            medians = e.get("ratio_of_medians", e["handler_median_ms"] / e["floor_median_ms"])
            out.append(
                f"{e['function']:<36}{e['floor_median_ms']:>8.1f}ms"
                f"{e['handler_median_ms']:>8.1f}ms{e['init_median_ms']:>7.1f}ms"
                f"{e['first_request_median_ms']:>7.1f}ms{medians:>9.3f}  {_ratio(e):<24}"
            )
    runs = summary[next(k for k in summary if k.startswith("cold:"))]["runs"]
    out += [
        "  floor: fresh interpreter importing boto3 and creating the function's client(s);",
        "  floor / subject / init / 1st req: medians of the rounds; paired ratio (judged):",
        "  median over rounds of subject / floor run in the same round, so the load swings",
        "  of a shared machine cancel; p50/p50 shows how much they move the plain ratio.",
        f"  {runs} rounds per repeat; first requests go to loopback stand-ins (moto, loopback",
        "  SMS API, loopback AEP).",
        "",
    ]

    head_z = f"{'package':<22}{'zipped':>10}{'unzipped':>11}{'own src':>10}{'vendored':>10}"
    head_z += f"{'bytecode':>10}{'ratio':>8}"
    out += ["PACKAGES (dist/*.zip; floor: the function's own source, zipped)", head_z]
    out.append("-" * len(head_z))
    for z in result["zips"]:
        ratio = f"{z['ratio']:.1f}" if z["ratio"] else "-"
        out.append(
            f"{z['zip']:<22}{z['bytes'] / 1e6:>8.2f}MB{z['unzipped_bytes'] / 1e6:>9.2f}MB"
            f"{z['own_source_bytes'] / 1e3:>8.0f}kB{z['vendored_bytes'] / 1e3:>8.0f}kB"
            f"{z['bytecode_bytes'] / 1e3:>8.0f}kB{ratio:>8}"
        )
    out.append("")

    head_t = f"{'threads':<10}{'bare req/s':>12}{'handler req/s':>15}{'bare CPU':>11}"
    head_t += f"{'handler CPU':>13}  {'ratio [spread]':<24}{'CPU ratio':>10}"
    out += [
        "THROUGHPUT, send handler vs bare client, same threads, loopback SMS API",
        head_t,
        "-" * len(head_t),
    ]
    for key, e in summary.items():
        if key.startswith("throughput:"):
            out.append(
                f"{e['threads']:<10}{e['bare_rps']:>12.0f}{e['handler_rps']:>15.0f}"
                f"{e['bare_cpu_us']:>9.0f}us{e['handler_cpu_us']:>11.0f}us  {_ratio(e):<24}"
                f"{e['cpu_ratio']:>10.3f}"
            )
    out += [
        f"  on {env['cpus']} cores shared by this process (one GIL), the loopback server and a",
        "  background build: the plateau is this machine's, not AWS's. CPU = this process's",
        "  CPU time per request, what one Lambda instance spends; the rest is waiting.",
        "  Arms alternate in short slices; ratio = handler / bare requests per second.",
        "",
    ]

    wall = result["wall"]
    out.append("WALL TIMES")
    if wall["skipped"]:
        out.append(f"  {wall['skipped']}")
    for w in wall["rows"]:
        extra = f", init {w['init_s']:.1f} s" if "init_s" in w else ""
        extra += f", exit {w['exit_code']}" + (f", {w['summary']}" if w.get("summary") else "")
        out.append(
            f"  {w['figure']:<24}{w['wall_s']:>8.1f} s  floor {w['floor_s']:.1f} s "
            f"({w['floor']}), ratio {w['ratio']:.2f}{extra}"
        )
    out.append("")

    burst = result.get("burst") or {"skipped": "not measured"}
    if "queued" in burst:
        from bench import bench_burst

        out += [bench_burst.table(burst, with_targets=False), ""]
    else:
        out += [f"BURST\n  {burst['skipped']}", ""]

    out.append("TARGETS (issue 8 on the median repeat; issue 13 on the one burst run)")
    for t in result["targets"]:
        sign = ">=" if "at least" in t["target"] else "<="
        out.append(
            f"  {t['verdict']:<5} {t['target']:<54} {t['value']:>9.3f} {sign} {t['limit']:g}"
        )
    return "\n".join(line.rstrip() for line in out)


# --- main ---------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repeats of every figure")
    parser.add_argument("--skip-wall", action="store_true", help="omit make test / plan times")
    parser.add_argument("--skip-burst", action="store_true", help="omit the burst benchmark")
    parser.add_argument("--burst-messages", type=int, default=2000)
    parser.add_argument("--burst-mps", type=float, default=25.0, help="loopback MPS")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--quick", action="store_true", help="fewer samples (a smoke run)")
    parser.add_argument(
        "--from-json",
        type=Path,
        help="measure nothing: print a saved run",
    )
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"default {RESULTS}")
    parser.add_argument("--requests", type=int, default=1500, help="path requests per arm")
    parser.add_argument("--idempotency-requests", type=int, default=300)
    parser.add_argument("--authorizer-calls", type=int, default=20000, help="per timed run")
    parser.add_argument("--cold-runs", type=int, default=7, help="per case and repeat")
    parser.add_argument("--threads", default="1,2,4,8")
    parser.add_argument("--seconds", type=float, default=1.5, help="per throughput arm")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.quick:
        args.requests, args.idempotency_requests, args.authorizer_calls = 300, 60, 5000
        args.cold_runs, args.seconds = 2, 0.5
        args.burst_messages = 300
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text())
        result["summary"] = summarize(result["repeats"])  # with this version's statistics
        result["targets"] = targets(result["summary"], result["zips"]) + burst_targets(result)
        print(table(result))
    else:
        result = measure(args)
        print(table(result))
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"\nfigures written to {args.json}")
    missed = [t for t in result["targets"] if t["verdict"] == "MISS"]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
