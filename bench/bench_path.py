"""The whole request path in one process: authorizer -> send handler -> SMS API.

Three arms run back to back, rotating which goes first (bench_send.interleaved_arms), so
drift on this busy machine hits them alike:

  floor  the bare botocore `send_text_message` with the handler's parameters;
  send   the send handler alone, on an API Gateway REST proxy event;
  path   what one AJO call costs the module: the TOKEN authorizer (handler.py, its key
         cache filled once at load from Secrets Manager, then warm), API Gateway's
         Allow check of the returned policy, then the send handler.

All three send to the same loopback SMS API (harness/loopback_sms.py, in its own process,
answering in AWS JSON 1.0). Overheads are medians of the per-request differences against
the floor; p99 is per arm. In AWS the authorizer is its own function and API Gateway caches
its answer (300 s by default), so the path here is the worst case: an authorizer call on
every request.

Usage: python -m bench.bench_path [--requests N] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import uuid
from pathlib import Path

from harness.api_gateway import policy_allows, proxy_event, token_event
from harness.moto_server import moto_process

from bench import bench_send
from bench.bench_authorizer import CURRENT, METHOD_ARN, PREVIOUS

API_KEY_HEADER = "x-api-key"

TARGET_PATH_OVERHEAD_US = 105.0  # derived: send <= 100 us + authorizer <= 5 us (issue 8)


def create_api_key_secret(secrets_url: str) -> str:
    """A secret with AWSCURRENT and AWSPREVIOUS, as after one rotation; returns its ARN."""
    import boto3

    client = boto3.client(
        "secretsmanager",
        endpoint_url=secrets_url,
        region_name=bench_send.FAKE_AWS["AWS_REGION"],
        aws_access_key_id=bench_send.FAKE_AWS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=bench_send.FAKE_AWS["AWS_SECRET_ACCESS_KEY"],
    )
    arn = client.create_secret(Name=f"bench/api-key-{uuid.uuid4().hex[:8]}", SecretString=PREVIOUS)
    client.put_secret_value(SecretId=arn["ARN"], SecretString=CURRENT)  # previous moves down
    return arn["ARN"]


def load_authorizer(secrets_url: str, secret_arn: str):
    """The authorizer's handler.py loaded as Lambda would, filling its key cache once."""
    return bench_send.load_handler(
        {
            **bench_send.FAKE_AWS,
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": secrets_url,
            "API_KEY_SECRET_ARN": secret_arn,
            # The longest TTL, so no refresh can land inside the timed loop.
            "API_KEY_CACHE_TTL_SECONDS": "3600",
        },
        "authorizer",
    )


def load_send(sms_url: str):
    return bench_send.load_handler(
        {
            **bench_send.FAKE_AWS,
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_url,
            "CONFIGURATION_SET_NAME": bench_send.CONFIGURATION_SET,
        }
    )


def send_event(authorizer_answer: dict) -> dict:
    """The REST proxy event the stage hands the send function after an Allow."""
    return proxy_event(
        {"destinationNumber": bench_send.NUMBER, "message": bench_send.MESSAGE},
        headers={API_KEY_HEADER: CURRENT},
        authorizer={
            "principalId": authorizer_answer["principalId"],
            **authorizer_answer.get("context", {}),
        },
    )


def measure(sms_url: str, secrets_url: str, count: int, warmup: int = 200) -> dict:
    import boto3

    authorizer = load_authorizer(secrets_url, create_api_key_secret(secrets_url))
    send = load_send(sms_url)
    os.environ.update(bench_send.FAKE_AWS)
    bare = boto3.client("pinpoint-sms-voice-v2", endpoint_url=sms_url)

    token = token_event(CURRENT, METHOD_ARN)
    first = authorizer.handler(token, None)
    if not policy_allows(first, METHOD_ARN):
        raise RuntimeError(f"the authorizer did not allow the bench key: {first}")
    event = send_event(first)

    def floor_arm(_i):
        bare.send_text_message(
            DestinationPhoneNumber=bench_send.NUMBER,
            MessageBody=bench_send.MESSAGE,
            MessageType="TRANSACTIONAL",
            ConfigurationSetName=bench_send.CONFIGURATION_SET,
        )

    def send_arm(_i):
        response = send.handler(event, None)
        if response["statusCode"] != 200:
            raise RuntimeError(response)

    def path_arm(_i):
        # API Gateway's own policy evaluation is not the module's cost: checked in full
        # once above, here only the Allow that keeps the loop honest.
        answer = authorizer.handler(token, None)
        if answer["policyDocument"]["Statement"][0]["Effect"] != "Allow":
            raise RuntimeError(f"denied: {answer}")
        response = send.handler(event, None)
        if response["statusCode"] != 200:
            raise RuntimeError(response)

    floor_us, send_us, path_us = bench_send.interleaved_arms(
        [floor_arm, send_arm, path_arm], count, warmup
    )
    floor_label = "bare send_text_message"
    send_row = bench_send.compare("warm send (handler only)", floor_label, send_us, floor_us)
    path_row = bench_send.compare(
        "request path (authorizer -> send)", floor_label, path_us, floor_us
    )
    # The authorizer's in-situ share: noisy at this scale (bench_authorizer is the precise one).
    send_row["target_overhead_us"] = bench_send.TARGET_OVERHEAD_US
    send_row["target_ratio"] = bench_send.TARGET_RATIO
    path_row["target_overhead_us"] = TARGET_PATH_OVERHEAD_US
    path_row["authorizer_in_path_us"] = statistics.median(
        p - s for p, s in zip(path_us, send_us, strict=True)
    )
    return {"send": send_row, "path": path_row}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500, help="requests per arm")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    with bench_send.loopback_sms_server() as sms_url, moto_process() as moto_url:
        result = measure(sms_url, moto_url, args.requests)
    for row in result.values():
        print(
            f"{row['case']:<36} floor p50 {row['floor_median_us']:.0f} us, "
            f"p50 {row['handler_median_us']:.0f} us, p99 {row['handler_p99_us']:.0f} us, "
            f"overhead {row['overhead_median_us']:.0f} us, ratio {row['ratio']:.3f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
