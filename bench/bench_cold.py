"""Cold start of every function from its dist zip, and the zips' sizes.

Cold start: the zip is unpacked once (as Lambda unpacks it to /var/task) and each run is a
fresh interpreter that imports handler.py and answers a first request, with the function's
environment and no bytecode writes (/var/task is read-only; the zip ships its own). The
floor is a fresh interpreter importing boto3 and creating the clients that function uses.
Both are timed from the child's first statement, so interpreter start-up counts for
neither. Cases rotate order round by round; the ratio is the median over rounds of the
round's subject / floor.

First requests go to local stand-ins, each speaking the real wire protocol:
  sms_send         one SendTextMessage to the loopback SMS API (harness/loopback_sms.py);
  authorizer       the key cache filled at init from Secrets Manager (moto), then a check;
  event_forwarder  an SQS record naming a new S3 object of 10 SMS events (moto S3 and
                   Secrets Manager), an IMS token and one batch POST to a loopback AEP
                   (tests/functions/event_forwarder/fake_aep.py), checkpoints in S3.

Usage: python -m bench.bench_cold [--runs N] [--json out.json]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness import REPO
from harness.api_gateway import token_event
from harness.moto_server import moto_process

from bench import bench_send
from bench.bench_authorizer import CURRENT, METHOD_ARN, PREVIOUS

DIST = REPO / "dist"
TARGET_COLD_RATIO = bench_send.TARGET_COLD_RATIO
TARGET_SEND_ZIP_BYTES = bench_send.TARGET_ZIP_BYTES
BUCKET = "bench-sms-events"
EVENTS_PER_OBJECT = 10

_CHILD = r"""
import json, sys, time
event_text = sys.stdin.read()
t0 = time.perf_counter()
mode, arg = sys.argv[1], sys.argv[2]
if mode == "floor":
    import boto3
    for service in arg.split(","):
        boto3.client(service)
    t1 = t2 = time.perf_counter()
else:
    import handler
    t1 = time.perf_counter()
    class Context:
        aws_request_id = "cold-start-bench"
        def get_remaining_time_in_millis(self):
            return 60000
    answer = handler.handler(json.loads(event_text), Context())
    t2 = time.perf_counter()
    print("ANSWER " + json.dumps(answer))
print("COLD " + json.dumps({"init_ms": (t1 - t0) * 1000, "total_ms": (t2 - t0) * 1000}))
"""


@dataclass
class Function:
    """One function's cold-start case: its clients (the floor), environment and request."""

    name: str
    services: str  # the clients the floor creates, comma-separated
    env: dict[str, str]
    event: Callable[[int], dict]  # run index -> first request (prepared outside the timing)
    accept: Callable[[object], bool]


# --- stand-ins ------------------------------------------------------------------------------


def _aws(service: str, url: str):
    import boto3

    return boto3.client(
        service,
        endpoint_url=url,
        region_name=bench_send.FAKE_AWS["AWS_REGION"],
        aws_access_key_id=bench_send.FAKE_AWS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=bench_send.FAKE_AWS["AWS_SECRET_ACCESS_KEY"],
    )


@contextlib.contextmanager
def fake_aep():
    """Adobe IMS + AEP streaming inlet on loopback, in this (idle while timing) process."""
    from harness.fake_aep import FakeAep

    server = FakeAep().start()
    try:
        yield server
    finally:
        server.stop()


def sms_send_case(sms_url: str) -> Function:
    def event(i: int) -> dict:
        return bench_send.api_event(bench_send._body(i))

    return Function(
        "sms_send",
        "pinpoint-sms-voice-v2",
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_url,
            "CONFIGURATION_SET_NAME": bench_send.CONFIGURATION_SET,
        },
        event,
        lambda answer: answer.get("statusCode") == 200,
    )


def authorizer_case(moto_url: str) -> Function:
    secrets = _aws("secretsmanager", moto_url)
    arn = secrets.create_secret(Name=f"bench/cold-{uuid.uuid4().hex[:8]}", SecretString=PREVIOUS)
    secrets.put_secret_value(SecretId=arn["ARN"], SecretString=CURRENT)
    token = token_event(CURRENT, METHOD_ARN)
    return Function(
        "authorizer",
        "secretsmanager",
        {"AWS_ENDPOINT_URL_SECRETS_MANAGER": moto_url, "API_KEY_SECRET_ARN": arn["ARN"]},
        lambda _i: token,
        lambda answer: answer.get("principalId") == "ajo",
    )


def event_forwarder_case(moto_url: str, aep) -> Function:
    from harness.fake_aep import CLIENT_ID, CLIENT_SECRET
    from harness.forwarder_testkit import (
        DATASET_ID,
        IMS_ORG,
        SCHEMA_ID,
        gzip_lines,
        sms_event,
        sqs_event,
    )

    s3 = _aws("s3", moto_url)
    region = bench_send.FAKE_AWS["AWS_REGION"]
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": region})
    secret = _aws("secretsmanager", moto_url).create_secret(
        Name=f"bench/aep-{uuid.uuid4().hex[:8]}",
        SecretString=json.dumps(
            {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "token_url": aep.token_url}
        ),
    )
    run = uuid.uuid4().hex[:8]

    def event(i: int) -> dict:
        # A new object per run: an already forwarded one would be a cheaper no-op.
        key = f"events/year=2026/month=11/day=26/bench-{run}-{i}.gz"
        data = gzip_lines([sms_event(i * EVENTS_PER_OBJECT + n) for n in range(EVENTS_PER_OBJECT)])
        etag = s3.put_object(Bucket=BUCKET, Key=key, Body=data)["ETag"]
        body = json.dumps(
            {
                "Records": [
                    {
                        "eventVersion": "2.1",
                        "eventSource": "aws:s3",
                        "awsRegion": region,
                        "eventName": "ObjectCreated:Put",
                        "s3": {
                            "bucket": {"name": BUCKET, "arn": f"arn:aws:s3:::{BUCKET}"},
                            "object": {"key": key, "size": len(data), "eTag": etag.strip('"')},
                        },
                    }
                ]
            }
        )
        message = {
            "MessageId": str(uuid.uuid4()),
            "ReceiptHandle": uuid.uuid4().hex,
            "Body": body,
            "MD5OfBody": hashlib.md5(body.encode()).hexdigest(),  # noqa: S324 - SQS's checksum
        }
        return sqs_event([message], f"arn:aws:sqs:{region}:123456789012:bench-forwarder")

    return Function(
        "event_forwarder",
        "s3,secretsmanager",
        {
            "AWS_ENDPOINT_URL_S3": moto_url,
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": moto_url,
            "AEP_INLET_URL": aep.inlet_url,
            "AEP_INLET_ALLOWED_HOST": "127.0.0.1",  # the fake AEP; else only *.adobedc.net
            "AEP_SECRET_ARN": secret["ARN"],
            "AEP_IMS_ORG_ID": IMS_ORG,
            "AEP_DATASET_ID": DATASET_ID,
            "AEP_SCHEMA_ID": SCHEMA_ID,
            "EVENTS_PREFIX": "events/",
        },
        event,
        lambda answer: answer == {"batchItemFailures": []},
    )


# --- cold starts ----------------------------------------------------------------------------


def _child(mode: str, arg: str, env: dict[str, str], event: dict | None = None) -> dict:
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    child_env.pop("PYTHONPATH", None)
    child_env.update(bench_send.FAKE_AWS)
    child_env.update(env)
    child_env["PYTHONDONTWRITEBYTECODE"] = "1"  # /var/task is read-only
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, arg],
        cwd=None if mode == "floor" else arg,  # sys.path[0] of `-c`, as /var/task is Lambda's
        input=json.dumps(event or {}),
        capture_output=True,
        text=True,
        env=child_env,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"cold-start child failed ({mode} {arg}): {done.stderr[-2000:]}")
    found: dict = {}
    for line in done.stdout.splitlines():
        if line.startswith("COLD "):
            found.update(json.loads(line[5:]))
        elif line.startswith("ANSWER "):
            found["answer"] = json.loads(line[7:])
    return found


def measure(functions: list[Function], runs: int, dist: Path = DIST) -> list[dict]:
    with tempfile.TemporaryDirectory() as scratch:
        roots = {}
        for fn in functions:
            roots[fn.name] = Path(scratch) / fn.name
            zipfile.ZipFile(dist / f"{fn.name}.zip").extractall(roots[fn.name])
        cases = [(fn, mode) for fn in functions for mode in ("floor", "handler")]
        counter = iter(range(10**9))

        def once(fn: Function, mode: str) -> dict:
            if mode == "floor":
                return _child("floor", fn.services, fn.env)
            found = _child("handler", str(roots[fn.name]), fn.env, fn.event(next(counter)))
            if not fn.accept(found.get("answer")):
                raise RuntimeError(f"{fn.name}: unexpected first answer {found.get('answer')}")
            return found

        for fn, mode in cases:  # untimed: fills the OS file cache, checks every case works
            once(fn, mode)
        times: dict[tuple[str, str], list[dict]] = {(fn.name, m): [] for fn, m in cases}
        for i in range(runs):
            shift = i % len(cases)
            for fn, mode in cases[shift:] + cases[:shift]:
                times[(fn.name, mode)].append(once(fn, mode))
    rows = []
    for fn in functions:
        floor = [t["total_ms"] for t in times[(fn.name, "floor")]]
        total = [t["total_ms"] for t in times[(fn.name, "handler")]]
        init = [t["init_ms"] for t in times[(fn.name, "handler")]]
        first = [t["total_ms"] - t["init_ms"] for t in times[(fn.name, "handler")]]
        rows.append(
            {
                "function": fn.name,
                "floor": f"fresh interpreter: import boto3 + client(s) {fn.services}",
                "runs": runs,
                "floor_median_ms": statistics.median(floor),
                "floor_min_ms": min(floor),
                "floor_max_ms": max(floor),
                "handler_median_ms": statistics.median(total),
                "handler_min_ms": min(total),
                "handler_max_ms": max(total),
                "init_median_ms": statistics.median(init),
                "first_request_median_ms": statistics.median(first),
                # Runs of one round are seconds apart: pairing them cancels the slow drift
                # of a busy machine (the other two estimates are kept for comparison).
                "ratio": paired_ratio(total, floor),
                "ratio_of_medians": statistics.median(total) / statistics.median(floor),
                "ratio_of_mins": min(total) / min(floor),
                "target_ratio": TARGET_COLD_RATIO,
            }
        )
    return rows


def paired_ratio(subject: list[float], floor: list[float]) -> float:
    """Median over rounds of subject / floor measured in the same round."""
    return statistics.median(a / b for a, b in zip(subject, floor, strict=True))


# --- zip sizes -------------------------------------------------------------------------------


def zip_sizes(dist: Path = DIST) -> list[dict]:
    """Size of every dist/*.zip, unpacked size, and what it is made of (compressed bytes).

    The floor is the function's own source as zipped: what remains is vendored dependencies
    and the runtime bytecode the build adds for a faster cold start."""
    rows = []
    for path in sorted(dist.glob("*.zip")):
        own_names = _own_top_level(path.stem)
        own = vendored = bytecode = unzipped = 0
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                unzipped += info.file_size
                if "__pycache__/" in info.filename or info.filename.endswith(".pyc"):
                    bytecode += info.compress_size
                elif info.filename.split("/", 1)[0] in own_names:
                    own += info.compress_size
                else:
                    vendored += info.compress_size
        size = path.stat().st_size
        rows.append(
            {
                "zip": path.name,
                "bytes": size,
                "unzipped_bytes": unzipped,
                "own_source_bytes": own,
                "vendored_bytes": vendored,
                "bytecode_bytes": bytecode,
                "floor": "the function's own source, zipped",
                "ratio": size / own if own else None,
                "target_bytes": TARGET_SEND_ZIP_BYTES if path.stem == "sms_send" else None,
            }
        )
    return rows


def _own_top_level(function: str) -> set[str]:
    folder = REPO / "functions" / function
    if not folder.is_dir():
        return set()
    return {p.name for p in folder.iterdir() if p.name != "__pycache__"}


def standard_functions(sms_url: str, moto_url: str, aep) -> list[Function]:
    return [sms_send_case(sms_url), authorizer_case(moto_url), event_forwarder_case(moto_url, aep)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold starts per case")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    with (
        bench_send.loopback_sms_server() as sms_url,
        moto_process() as moto_url,
        fake_aep() as aep,
    ):
        rows = measure(standard_functions(sms_url, moto_url, aep), args.runs)
    for row in rows:
        print(
            f"{row['function']:<16} floor {row['floor_median_ms']:.1f} ms, cold start "
            f"{row['handler_median_ms']:.1f} ms (init {row['init_median_ms']:.1f}, first "
            f"request {row['first_request_median_ms']:.1f}), ratio {row['ratio']:.3f}"
        )
    sizes = zip_sizes()
    for row in sizes:
        print(
            f"{row['zip']:<20} {row['bytes'] / 1e6:.2f} MB zipped, "
            f"{row['unzipped_bytes'] / 1e6:.2f} MB unzipped"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"cold": rows, "zips": sizes}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
