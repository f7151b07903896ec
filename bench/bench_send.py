"""SMS send function: warm per-request overhead, cold start and zip size.

Warm: the handler (validation, E.164, segments, response, log line) against the bare
botocore `send_text_message` carrying the same parameters to the same loopback endpoint
(harness/loopback_sms.py, in its own process, answering in AWS JSON 1.0). The two are
interleaved call by call, alternating which goes first, so machine drift hits both alike;
the overhead is the median of the paired differences. With idempotency on, the floor is
the bare send plus the two DynamoDB calls a claim-and-record needs (the same conditional
PutItem and PutItem the function makes) against the same moto server.

Cold: a fresh interpreter importing the handler and answering its first request, against
a fresh interpreter importing boto3 and creating the client (both timed from the child's
first statement, so interpreter start-up counts for neither). When dist/sms_send.zip
exists it is also measured unpacked without bytecode, as Lambda runs it.

Targets: warm overhead <= 100 us median and ratio <= 1.08; <= 1.10 with idempotency;
cold start ratio <= 1.2; zip <= 5 MB.

Usage: python -m bench.bench_send [--json out.json] [--requests N] [--cold-runs N] [--strict]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

from harness import REPO
from harness.api_gateway import proxy_event as api_event  # bench_burst's name for it
from harness.functions import FUNCTIONS, load_entry
from harness.moto_server import fake_aws, moto_process

FUNCTION_DIR = FUNCTIONS / "sms_send"
DEFAULT_ZIP = REPO / "dist" / "sms_send.zip"

TARGET_OVERHEAD_US = 100.0
TARGET_RATIO = 1.08
TARGET_RATIO_IDEMPOTENCY = 1.10
TARGET_COLD_RATIO = 1.2
TARGET_ZIP_BYTES = 5 * 1024 * 1024

NUMBER = "+14155550100"
MESSAGE = "Your verification code is 482913. It expires in 10 minutes."
CONFIGURATION_SET = "ajo-sms"
TABLE = "sms-idempotency"
FAKE_AWS = fake_aws("eu-west-1")


# --- local stand-ins, each in its own process -------------------------------------------


@contextlib.contextmanager
def loopback_sms_server():
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness.loopback_sms", "--port", "0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "tests")},
    )
    try:
        line = proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"loopback server did not start: {line!r}")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        proc.stdin.close()  # the server exits when its stdin closes
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


# --- helpers ------------------------------------------------------------------------------


def load_handler(env: dict[str, str], function: str = "sms_send", entry: str = "handler"):
    """A cold start of functions/<function>/<entry>.py in this process, with `env` set while
    it loads (each function's package has a unique name, so several can be loaded at once)."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        name = f"{function}_{entry}_bench_{uuid.uuid4().hex[:8]}"
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            return load_entry(function, entry, name)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def interleaved_arms(arms, count: int, warmup: int) -> list[list[float]]:
    """Per-call times in us of several arms run back to back, rotating which one runs
    first, so drift, caches and the order itself hit every arm alike."""
    times: list[list[float]] = [[] for _ in arms]
    clock = time.perf_counter_ns
    k = len(arms)
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):  # handler logs
        for i in range(warmup):
            for arm in arms:
                arm(i)
        for i in range(count):
            for j in range(k):
                index = (i + j) % k
                t0 = clock()
                arms[index](warmup + i)
                times[index].append((clock() - t0) / 1000)
    return times


def interleaved(arm_a, arm_b, count: int, warmup: int) -> tuple[list[float], list[float]]:
    """Per-call times in us of two arms, alternating which one runs first."""
    a_times, b_times = interleaved_arms([arm_a, arm_b], count, warmup)
    return a_times, b_times


def compare(name: str, floor_label: str, handler_us: list[float], floor_us: list[float]) -> dict:
    diffs = [h - f for h, f in zip(handler_us, floor_us, strict=True)]
    return {
        "case": name,
        "floor": floor_label,
        "requests": len(handler_us),
        "floor_median_us": statistics.median(floor_us),
        "floor_p99_us": percentile(floor_us, 0.99),
        "handler_median_us": statistics.median(handler_us),
        "handler_p99_us": percentile(handler_us, 0.99),
        "overhead_median_us": statistics.median(diffs),
        "overhead_p99_us": percentile(handler_us, 0.99) - percentile(floor_us, 0.99),
        "ratio": statistics.median(handler_us) / statistics.median(floor_us),
        "p99_ratio": percentile(handler_us, 0.99) / percentile(floor_us, 0.99),
    }


# --- warm ---------------------------------------------------------------------------------


# Per channel: the request's own fields, the deployment's settings, and the bare call the
# handler makes (the same request on the wire). MMS and voice need an origination identity:
# the deployment's default; WhatsApp sends from its one phone number ID.
POOL = "arn:aws:sms-voice:eu-west-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef"
MEDIA = "s3://ajo-sms-media/offers/fall.jpg"
WHATSAPP_ID = "phone-number-id-" + "0123456789abcdef" * 2
_SMS_WIRE = {
    "DestinationPhoneNumber": NUMBER,
    "MessageBody": MESSAGE,
    "ConfigurationSetName": CONFIGURATION_SET,
}
_WHATSAPP_TEXT = {
    "messaging_product": "whatsapp",
    "to": NUMBER,
    "type": "text",
    "text": {"preview_url": False, "body": MESSAGE},
}
CHANNEL_CASES = {
    "SMS": ({}, "send_text_message", {**_SMS_WIRE, "MessageType": "TRANSACTIONAL"}),
    "MMS": (
        {"channel": "MMS", "mediaUrls": [MEDIA]},
        "send_media_message",
        {**_SMS_WIRE, "MediaUrls": [MEDIA], "OriginationIdentity": POOL},
    ),
    "VOICE": (
        {"channel": "VOICE", "voiceId": "MATTHEW"},
        "send_voice_message",
        {
            **_SMS_WIRE,
            "MessageBodyTextType": "TEXT",
            "VoiceId": "MATTHEW",
            "OriginationIdentity": POOL,
        },
    ),
    "WHATSAPP": (
        {"channel": "WHATSAPP"},
        "send_whatsapp_message",
        {
            "originationPhoneNumberId": WHATSAPP_ID,
            "message": json.dumps(_WHATSAPP_TEXT, separators=(",", ":")).encode(),
            "metaApiVersion": "v20.0",
        },
    ),
}
CHANNEL_ENV = {
    "CHANNELS": "SMS,MMS,VOICE,WHATSAPP",
    "MEDIA_BUCKET": "ajo-sms-media",
    "DEFAULT_ORIGINATION_IDENTITY": POOL,
    "WHATSAPP_PHONE_NUMBER_IDS": WHATSAPP_ID,
}


def warm(sms_url: str, count: int, channel: str = "SMS") -> dict:
    import boto3

    fields, operation, wire = CHANNEL_CASES[channel]
    env = {
        **FAKE_AWS,
        "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_url,
        "AWS_ENDPOINT_URL_SOCIALMESSAGING": sms_url,
        "CONFIGURATION_SET_NAME": CONFIGURATION_SET,
    }
    if channel != "SMS":
        env.update(CHANNEL_ENV)
    handler = load_handler(env)
    os.environ.update(FAKE_AWS)
    service = "socialmessaging" if channel == "WHATSAPP" else "pinpoint-sms-voice-v2"
    bare = getattr(boto3.client(service, endpoint_url=sms_url), operation)
    event = api_event({"destinationNumber": NUMBER, "message": MESSAGE, **fields})

    def handler_arm(_i):
        response = handler.handler(event, None)
        if response["statusCode"] != 200:
            raise RuntimeError(response)

    def bare_arm(_i):
        bare(**wire)

    handler_us, bare_us = interleaved(handler_arm, bare_arm, count, warmup=200)
    name = "warm send" if channel == "SMS" else f"warm send, {channel}"
    return compare(name, f"bare {operation}", handler_us, bare_us)


def warm_idempotency(sms_url: str, dynamodb_url: str, count: int) -> dict:
    import boto3

    handler = load_handler(
        {
            **FAKE_AWS,
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_url,
            "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_url,
            "CONFIGURATION_SET_NAME": CONFIGURATION_SET,
            "IDEMPOTENCY_TABLE": TABLE,
        }
    )
    os.environ.update(FAKE_AWS)
    bare = boto3.client("pinpoint-sms-voice-v2", endpoint_url=sms_url)
    dynamodb = boto3.client("dynamodb", endpoint_url=dynamodb_url)
    # Already there on a repeated run (bench/run.py --repeat) against the same moto server.
    with contextlib.suppress(dynamodb.exceptions.ResourceInUseException):
        dynamodb.create_table(
            TableName=TABLE,
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
    total = count + 200
    run = uuid.uuid4().hex[:8]  # keys unique across repeated runs too
    # Every request a new key (a retry would be a cheaper replay); built outside the timing.
    events = [
        api_event(
            {"destinationNumber": NUMBER, "message": MESSAGE, "idempotencyKey": f"h{run}-{i}"}
        )
        for i in range(total)
    ]
    # The function's claim under the default policy (at_most_once): the same condition.
    from ajo_sms_send.stores import _FREE

    def handler_arm(i):
        response = handler.handler(events[i], None)
        if response["statusCode"] != 200:
            raise RuntimeError(response)

    def floor_arm(i):
        now = int(time.time())
        key = {"S": f"floor#{run}-{i}"}
        dynamodb.put_item(
            TableName=TABLE,
            Item={
                "id": key,
                "status": {"S": "IN_PROGRESS"},
                "expiration": {"N": str(now + 86400)},
                "in_progress_expiration": {"N": str(now + 10)},
                "fingerprint": {"S": "f" * 64},
                "token": {"S": "t" * 24},
            },
            ConditionExpression=_FREE,
            ExpressionAttributeNames={"#id": "id", "#expiration": "expiration"},
            ExpressionAttributeValues={":now": {"N": str(now)}},
            ReturnValues="ALL_OLD",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        answer = bare.send_text_message(
            DestinationPhoneNumber=NUMBER,
            MessageBody=MESSAGE,
            MessageType="TRANSACTIONAL",
            ConfigurationSetName=CONFIGURATION_SET,
        )
        dynamodb.put_item(
            TableName=TABLE,
            Item={
                "id": key,
                "status": {"S": "COMPLETED"},
                "expiration": {"N": str(now + 86400)},
                "fingerprint": {"S": "f" * 64},
                "messageId": {"S": answer["MessageId"]},
                "token": {"S": "t" * 24},
            },
        )

    handler_us, floor_us = interleaved(handler_arm, floor_arm, count, warmup=200)
    return compare(
        "warm send, idempotency on",
        "bare send + claim PutItem + record PutItem",
        handler_us,
        floor_us,
    )


# --- cold ---------------------------------------------------------------------------------

_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
mode = sys.argv[1]
if mode.startswith("floor"):
    import boto3
    boto3.client("pinpoint-sms-voice-v2")
    if mode == "floor+dynamodb":
        boto3.client("dynamodb")
else:
    import handler
    response = handler.handler(json.loads(sys.argv[3]), None)
    assert response["statusCode"] == 200, response
t1 = time.perf_counter()
print("COLD_MS", (t1 - t0) * 1000)
"""


def _cold_once(mode: str, env: dict[str, str], root: str = "", event: str = "") -> float:
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    child_env.pop("PYTHONPATH", None)
    child_env.update(env)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, root, event],
        cwd=root or None,  # sys.path[0] of `-c`: the handler's root, as /var/task is Lambda's
        capture_output=True,
        text=True,
        env=child_env,
        timeout=120,
        check=True,
    )
    last = done.stdout.strip().splitlines()[-1]
    return float(last.split()[1])


def cold(sms_url: str, dynamodb_url: str, runs: int, zip_path: Path) -> list[dict]:
    env = {
        **FAKE_AWS,
        "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_url,
        "CONFIGURATION_SET_NAME": CONFIGURATION_SET,
    }
    env_idem = {**env, "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_url, "IDEMPOTENCY_TABLE": TABLE}
    # Lambda's /var/task is read-only: no bytecode cache for the zip's own modules.
    no_pyc = {"PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory() as unpacked:
        cases: dict[str, tuple] = {
            "floor": ("floor", env, "", None),
            "floor+dynamodb": ("floor+dynamodb", env, "", None),
            "handler (source tree)": ("handler", env, str(FUNCTION_DIR), None),
        }
        if zip_path.is_file():
            zipfile.ZipFile(zip_path).extractall(unpacked)
            cases["handler (zip, no .pyc)"] = ("handler", {**env, **no_pyc}, unpacked, None)
            cases["handler (zip, no .pyc), idempotency on"] = (
                "handler",
                {**env_idem, **no_pyc},
                unpacked,
                "idem",
            )
            # What-if: the same zip with bytecode compiled at build time (unchecked-hash
            # .pyc stay valid with the zip's fixed timestamps; this interpreter's version).
            compiled = Path(unpacked) / "compiled"
            zipfile.ZipFile(zip_path).extractall(compiled)
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", "--invalidation-mode",
                 "unchecked-hash", str(compiled)],
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            cases["handler (zip + build-time .pyc, what-if)"] = (
                "handler",
                {**env, **no_pyc},
                str(compiled),
                None,
            )
        else:
            cases["handler (source tree), idempotency on"] = (
                "handler",
                env_idem,
                str(FUNCTION_DIR),
                "idem",
            )
        _cold_once("floor", env)  # fill the OS file cache before anything is timed
        _cold_once("handler", env, str(FUNCTION_DIR), json.dumps(api_event(_body(0))))
        times: dict[str, list[float]] = {name: [] for name in cases}
        names = list(cases)
        for i in range(runs):
            for name in names[i % len(names) :] + names[: i % len(names)]:  # rotate the order
                mode, case_env, root, kind = cases[name]
                event = "" if mode.startswith("floor") else json.dumps(api_event(_body(i, kind)))
                times[name].append(_cold_once(mode, case_env, root, event))
    medians = {name: statistics.median(values) for name, values in times.items()}
    rows = []
    for name, values in times.items():
        if name.startswith("floor"):
            continue
        floor = "floor+dynamodb" if name.endswith("idempotency on") else "floor"
        # Targets apply to what ships without DynamoDB; the other rows are for information.
        targeted = floor == "floor" and "what-if" not in name
        rows.append(
            {
                "case": f"cold start, {name}",
                "floor": "import boto3 + create client"
                + (" + DynamoDB client" if floor == "floor+dynamodb" else ""),
                "runs": len(values),
                "floor_median_ms": medians[floor],
                "handler_median_ms": medians[name],
                "handler_min_ms": min(values),
                "ratio": medians[name] / medians[floor],
                "target": TARGET_COLD_RATIO if targeted else None,
            }
        )
    return rows


def _body(i: int, kind: str | None = None) -> dict:
    body = {"destinationNumber": NUMBER, "message": MESSAGE}
    if kind == "idem":
        body["idempotencyKey"] = f"cold-{uuid.uuid4()}"
    return body


# --- report -------------------------------------------------------------------------------


def measure(requests: int, idem_requests: int, cold_runs: int, zip_path: Path) -> dict:
    with loopback_sms_server() as sms_url, moto_process() as dynamodb_url:
        warm_rows = [warm(sms_url, requests)]
        warm_rows.append(warm_idempotency(sms_url, dynamodb_url, idem_requests))
        # Information, no target: each channel's overhead over its own bare call.
        warm_rows += [warm(sms_url, requests, c) for c in ("MMS", "VOICE", "WHATSAPP")]
        cold_rows = cold(sms_url, dynamodb_url, cold_runs, zip_path) if cold_runs else []
    warm_rows[0]["target_ratio"] = TARGET_RATIO
    warm_rows[0]["target_overhead_us"] = TARGET_OVERHEAD_US
    warm_rows[1]["target_ratio"] = TARGET_RATIO_IDEMPOTENCY
    zip_bytes = zip_path.stat().st_size if zip_path.is_file() else None
    checks = {
        "warm_overhead": warm_rows[0]["overhead_median_us"] <= TARGET_OVERHEAD_US,
        "warm_ratio": warm_rows[0]["ratio"] <= TARGET_RATIO,
        "idempotency_ratio": warm_rows[1]["ratio"] <= TARGET_RATIO_IDEMPOTENCY,
    }
    for row in cold_rows:
        if row["target"] is not None:
            checks[f"cold_ratio[{row['case']}]"] = row["ratio"] <= TARGET_COLD_RATIO
    if zip_bytes is not None:
        checks["zip_size"] = zip_bytes <= TARGET_ZIP_BYTES
    return {
        "benchmark": "sms_send",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "warm": warm_rows,
        "cold": cold_rows,
        "zip": {"path": str(zip_path), "bytes": zip_bytes, "target_bytes": TARGET_ZIP_BYTES},
        "checks": checks,
        "target_met": all(checks.values()),
    }


def print_table(result: dict) -> None:
    print(f"sms_send on Python {result['python']} ({result['machine']}, {result['cpus']} cpus)")
    header = f"{'case':<34}{'floor p50':>11}{'p99':>9}{'handler p50':>13}{'p99':>9}"
    header += f"{'overhead':>10}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for row in result["warm"]:
        print(
            f"{row['case']:<34}{row['floor_median_us']:>9.0f}us{row['floor_p99_us']:>7.0f}us"
            f"{row['handler_median_us']:>11.0f}us{row['handler_p99_us']:>7.0f}us"
            f"{row['overhead_median_us']:>8.0f}us{row['ratio']:>8.3f}"
        )
    for row in result["warm"]:
        print(f"  floor of '{row['case']}': {row['floor']} ({row['requests']} interleaved pairs)")
    if result["cold"]:
        print()
        header = f"{'case':<58}{'floor p50':>11}{'handler p50':>13}{'ratio':>8}"
        print(header)
        print("-" * len(header))
        for row in result["cold"]:
            print(
                f"{row['case']:<58}{row['floor_median_ms']:>9.1f}ms"
                f"{row['handler_median_ms']:>11.1f}ms{row['ratio']:>8.3f}"
            )
    zip_info = result["zip"]
    print()
    if zip_info["bytes"] is None:
        print(f"zip: {zip_info['path']} not built (make build)")
    else:
        print(f"zip: {zip_info['path']} {zip_info['bytes'] / 1024 / 1024:.2f} MB")
    for name, ok in result["checks"].items():
        print(f"  {'met   ' if ok else 'MISSED'} {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--requests", type=int, default=2000, help="warm pairs (no idempotency)")
    parser.add_argument("--idempotency-requests", type=int, default=600, help="warm pairs")
    parser.add_argument("--cold-runs", type=int, default=11, help="cold starts per case")
    parser.add_argument("--zip", type=Path, default=DEFAULT_ZIP, help="the built function zip")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    result = measure(args.requests, args.idempotency_requests, args.cold_runs, args.zip)
    print_table(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 1 if args.strict and not result["target_met"] else 0


if __name__ == "__main__":
    sys.exit(main())
