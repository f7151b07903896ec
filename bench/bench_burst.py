"""Burst: a journey outpacing the sender, direct vs queued delivery, in one run (issue 13).

- SMS API: the loopback (harness/loopback_sms.py) enforcing MPS parts per second per
  origination identity, ThrottlingException beyond (AWS JSON 1.0).
- AJO, emulated: one call per message offered at >= 10 x MPS, each retried up to 3 times
  within the 30 s journey timeout on every status except 401/403/404 (retries 1, 3 and
  7 s after the failure before it; AJO documents the count and the timeout, not the
  spacing, and no source says it honours Retry-After), one idempotencyKey per message.
- AWS: moto, one process per service (one for both would queue each service's calls
  behind the other's, which AWS does not); the send function is cold-started from
  functions/sms_send in a process of its own with AJO's emulation (in AWS the accept path
  runs on Lambda instances of its own: in this process it would take the dispatchers' CPU
  and GIL during the burst), the dispatchers in this one; Lambda's SQS event source is
  emulated by harness/sqs_event_source.py (batch 10, maximum concurrency 2 per queue, each
  concurrent invocation a dispatcher cold-started of its own as a Lambda instance is, the
  queue's visibility timeout, partial batch responses).

Per mode: SMS sent (distinct messages the loopback accepted), lost (offered, never sent),
duplicates (accepted SMS beyond one per message), achieved rate / MPS over the sending
period, share of SMS API calls throttled; for queued, the accept path's p50/p99 against its
floor (a bare conditional PutItem claim + SendMessage, interleaved, on a quiet machine).

Usage: python -m bench.bench_burst [--messages 2000] [--mps 25] [--json FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import itertools
import json
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from harness.loopback_sms import LoopbackSmsApi
from harness.moto_server import moto_process
from harness.sqs_event_source import EventSource, LambdaContext

from bench import bench_send

TARGET_LOST = 0
TARGET_DUPLICATES = 0
TARGET_RATE = 0.9  # achieved / MPS, at least
TARGET_THROTTLED = 0.01  # share of SMS API calls, at most
TARGET_ACCEPT_RATIO = 1.1  # accept p50 / floor p50, at most
AJO_RETRY_DELAYS = (1.0, 3.0, 7.0)
AJO_TIMEOUT = 30.0
AJO_NO_RETRY = frozenset({401, 403, 404})
IDENTITY = "+18005550199"
MESSAGE = "Spring sale: 20% off everything until Sunday. Reply STOP to opt out."
_names = itertools.count()


def number(i: int) -> str:
    return f"+1415555{i:04d}"


class Moto(NamedTuple):
    """Endpoint URLs of the moto servers standing in for each service."""

    sqs: str
    dynamodb: str


@contextlib.contextmanager
def moto_servers() -> Iterator[Moto]:
    with moto_process() as sqs, moto_process() as dynamodb:
        yield Moto(sqs, dynamodb)


class Aws:
    """One run's queues and tables on moto."""

    def __init__(self, moto: Moto, visibility_timeout: int):
        import boto3

        n = f"{os.getpid()}-{next(_names)}"
        self.sqs = boto3.client("sqs", endpoint_url=moto.sqs)
        self.dynamodb = boto3.client("dynamodb", endpoint_url=moto.dynamodb)
        self.dlq = self.sqs.create_queue(QueueName=f"burst-dlq-{n}")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.dlq, AttributeNames=["QueueArn"])
        redrive = json.dumps(
            {"deadLetterTargetArn": arn["Attributes"]["QueueArn"], "maxReceiveCount": 10}
        )
        self.queues = {
            kind: self.sqs.create_queue(
                QueueName=f"burst-{kind.lower()}-{n}",
                Attributes={"VisibilityTimeout": str(visibility_timeout), "RedrivePolicy": redrive},
            )["QueueUrl"]
            for kind in ("TRANSACTIONAL", "PROMOTIONAL")
        }
        self.idempotency, self.delivery = f"burst-idem-{n}", f"burst-delivery-{n}"
        for table in (self.idempotency, self.delivery):
            self.dynamodb.create_table(
                TableName=table,
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                BillingMode="PAY_PER_REQUEST",
            )

    def backlog(self) -> int:
        total = 0
        for url in (*self.queues.values(), self.dlq):
            a = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
            total += sum(
                int(a[k])
                for k in (
                    "ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesNotVisible",
                    "ApproximateNumberOfMessagesDelayed",
                )
            )
        return total


def environment(aws: Aws, sms_url: str, moto: Moto, mps: float) -> dict[str, dict[str, str]]:
    common = {
        **bench_send.FAKE_AWS,
        "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_url,
        "AWS_ENDPOINT_URL_DYNAMODB": moto.dynamodb,
        "AWS_ENDPOINT_URL_SQS": moto.sqs,
        "CONFIGURATION_SET_NAME": bench_send.CONFIGURATION_SET,
        "DEFAULT_ORIGINATION_IDENTITY": IDENTITY,
        "QUEUE_URL_TRANSACTIONAL": aws.queues["TRANSACTIONAL"],
        "QUEUE_URL_PROMOTIONAL": aws.queues["PROMOTIONAL"],
        "DELIVERY_TABLE": aws.delivery,
    }
    return {
        "send": {**common, "IDEMPOTENCY_TABLE": aws.idempotency},
        "dispatch": {**common, "DLQ_URL": aws.dlq, "MPS": str(mps)},
    }


class Ajo:
    """AJO's custom action: offered at `rate` calls/s, retried as AJO retries."""

    def __init__(self, handler, delivery: str, messages: int, rate: float, workers: int = 48):
        self._handler = handler
        self._delivery = delivery
        self._rate = rate
        self._messages = messages
        self._pool = ThreadPoolExecutor(max_workers=workers)
        self._lock = threading.Lock()
        self._heap: list[tuple[float, int, int, float]] = []
        self._pending = 0
        self.final: dict[int, int] = {}
        self.calls = 0

    def run(self) -> None:
        start = time.monotonic()
        self._heap = [
            (start + i / self._rate, i, 0, start + i / self._rate) for i in range(self._messages)
        ]
        heapq.heapify(self._heap)
        self._pending = self._messages
        while True:
            with self._lock:
                if not self._pending:
                    break
                due = self._heap[0][0] if self._heap else None
            if due is None or due > time.monotonic():
                time.sleep(0.002 if due is None else min(max(due - time.monotonic(), 0), 0.01))
                continue
            with self._lock:
                _, i, attempt, first = heapq.heappop(self._heap)
            self._pool.submit(self._call, i, attempt, first)
        self._pool.shutdown()

    def _call(self, i: int, attempt: int, first: float) -> None:
        body = {
            "destinationNumber": number(i),
            "message": MESSAGE,
            "messageType": "PROMOTIONAL" if i % 10 == 0 else "TRANSACTIONAL",
            "idempotencyKey": f"journey-1/action-1/profile-{i}",
            "context": {"journeyId": "journey-1", "profileId": f"profile-{i}"},
            "delivery": self._delivery,
        }
        try:
            status = self._handler.handler(bench_send.api_event(body), LambdaContext(29))[
                "statusCode"
            ]
        except Exception:
            status = 500
        now = time.monotonic()
        with self._lock:
            self.calls += 1
            retry_at = now + AJO_RETRY_DELAYS[attempt] if attempt < len(AJO_RETRY_DELAYS) else None
            if (
                status >= 300
                and status not in AJO_NO_RETRY
                and retry_at is not None
                and retry_at - first < AJO_TIMEOUT
            ):
                heapq.heappush(self._heap, (retry_at, i, attempt + 1, first))
                return
            self.final[i] = status
            self._pending -= 1


def sms_figures(sms: LoopbackSmsApi, messages: int, mps: float) -> dict:
    calls = sms.sends("v2")
    accepted = sms.accepted
    distinct = {c.destination for c in accepted}
    times = sorted(c.at for c in accepted)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    # parts sent after the first, over the time they took (the first opens the window)
    rate = (len(times) - 1) / span if span else 0.0
    throttled = sum(1 for c in calls if c.status == 400)
    return {
        "offered": messages,
        "sent": len(distinct),
        "lost": messages - len(distinct),
        "duplicates": len(accepted) - len(distinct),
        "sms_calls": len(calls),
        "throttled_calls": throttled,
        "throttled_share": throttled / len(calls) if calls else 0.0,
        "send_seconds": span,
        "achieved_rate": rate,
        "rate_over_mps": rate / mps,
    }


def offer(env: dict[str, str], mode: str, messages: int, rate: float) -> tuple[dict, int]:
    """In the child process: the send function, cold-started, called as AJO calls it;
    returns each message's final status and the number of calls."""
    handler = bench_send.load_handler({**env, "DEFAULT_DELIVERY": mode})
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        ajo = Ajo(handler, mode, messages, rate)
        ajo.run()
    return ajo.final, ajo.calls


def run_mode(mode: str, sms: LoopbackSmsApi, moto: Moto, args) -> dict:
    aws = Aws(moto, visibility_timeout=60)
    env = environment(aws, sms.url, moto, args.mps)
    sms.reset()
    sms.set_mps(args.mps)
    stop = threading.Event()
    sources: list[EventSource] = []
    threads: list[threading.Thread] = []
    started = time.monotonic()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        if mode == "queued":

            def cold_start():  # one Lambda execution environment per concurrent invocation
                return bench_send.load_handler(env["dispatch"], entry="dispatcher").handler

            for kind in ("TRANSACTIONAL", "PROMOTIONAL"):
                source = EventSource(
                    aws.sqs, aws.queues[kind], None, batch_size=10,
                    maximum_concurrency=args.concurrency, function_timeout=60, wait_seconds=1,
                    new_handler=cold_start,
                )  # fmt: skip
                sources.append(source)
                threads.append(threading.Thread(target=source.run, args=(stop.is_set,)))
            for thread in threads:
                thread.start()
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as child:
            rate = args.offered_factor * args.mps
            final, calls = child.submit(offer, env["send"], mode, args.messages, rate).result()
        offered_seconds = time.monotonic() - started
        if mode == "queued":
            accepted = sum(1 for s in final.values() if 200 <= s < 300)
            deadline = time.monotonic() + args.messages / args.mps * 2 + 60
            while time.monotonic() < deadline:
                if len({c.destination for c in sms.accepted}) >= accepted and not aws.backlog():
                    break
                time.sleep(0.5)
            stop.set()
            for thread in threads:
                thread.join()
    result = {"mode": mode, "mps": args.mps, **sms_figures(sms, args.messages, args.mps)}
    statuses: dict[str, int] = {}
    for status in final.values():
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    result.update(
        concurrency=args.concurrency,
        ajo_calls=calls,
        ajo_final_statuses=statuses,
        offered_rate=args.offered_factor * args.mps,
        offered_seconds=offered_seconds,
        wall_seconds=time.monotonic() - started,
        dispatcher_invocations=sum(s.invocations for s in sources),
        dlq=aws.backlog() if mode == "queued" else 0,
    )
    if mode == "queued":
        result["accept"] = accept_latency(aws, env, args.accept_requests)
    return result


def accept_latency(aws: Aws, env: dict, count: int) -> dict:
    """The queued accept path vs its floor, interleaved on a quiet machine: the same
    conditional PutItem claim and SendMessage, made bare with the function's client
    settings (ajo_sms_send.config.delivery_client)."""
    from ajo_sms_send.config import delivery_client

    handler = bench_send.load_handler({**env["send"], "DEFAULT_DELIVERY": "queued"})
    saved = dict(os.environ)
    os.environ.update(env["send"])
    try:
        dynamodb, sqs = delivery_client("dynamodb"), delivery_client("sqs")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    url = aws.queues["TRANSACTIONAL"]

    def accept_arm(i: int) -> None:
        body = {"destinationNumber": number(i % 10000), "message": MESSAGE,
                "idempotencyKey": f"latency-{i}", "delivery": "queued"}  # fmt: skip
        response = handler.handler(bench_send.api_event(body), LambdaContext(29))
        if response["statusCode"] != 202:
            raise RuntimeError(response)

    def floor_arm(i: int) -> None:
        dynamodb.put_item(
            TableName=aws.idempotency,
            Item={
                "id": {"S": f"floor#{i}"},
                "status": {"S": "QUEUED"},
                "expiration": {"N": str(int(time.time()) + 86400)},
                "fingerprint": {"S": "f" * 64},
                "token": {"S": "t" * 24},
                "trackingId": {"S": "a" * 32},
                "acceptedAt": {"N": f"{time.time():.3f}"},
            },
            ConditionExpression="attribute_not_exists(#id) OR #expiration < :now",
            ExpressionAttributeNames={"#id": "id", "#expiration": "expiration"},
            ExpressionAttributeValues={":now": {"N": str(int(time.time()))}},
            ReturnValues="ALL_OLD",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"v": 1, "message": MESSAGE}))

    handler_us, floor_us = bench_send.interleaved(accept_arm, floor_arm, count, warmup=50)
    return bench_send.compare(
        "queued accept", "bare claim PutItem + SendMessage", handler_us, floor_us
    )


def targets(result: dict) -> list[dict]:
    from bench.run import check

    q = result["queued"]
    rows = [
        ("queued: lost", q["lost"], TARGET_LOST),
        ("queued: duplicates", q["duplicates"], TARGET_DUPLICATES),
        ("queued: share of SMS calls throttled", q["throttled_share"], TARGET_THROTTLED),
        ("queued: accept p50 / floor p50", q["accept"]["ratio"], TARGET_ACCEPT_RATIO),
    ]
    out = [{"target": n, "value": v, "limit": lim, "verdict": check(v, lim)} for n, v, lim in rows]
    rate = q["rate_over_mps"]
    verdict = "PASS" if rate >= TARGET_RATE else "MISS"
    target = "queued: achieved rate / MPS (at least)"
    out.append({"target": target, "value": rate, "limit": TARGET_RATE, "verdict": verdict})
    return out


def measure(
    moto: Moto,
    messages: int = 2000,
    mps: float = 25.0,
    offered_factor: float = 10.0,
    accept_requests: int = 300,
    concurrency: int = 2,
) -> dict:
    """Both modes, one after the other, on one loopback SMS API (in this process, so its
    record of every call is read directly) and the given moto servers."""
    args = argparse.Namespace(
        messages=messages, mps=mps, offered_factor=offered_factor,
        accept_requests=accept_requests, concurrency=concurrency,
    )  # fmt: skip
    with LoopbackSmsApi() as sms:
        result = {mode: run_mode(mode, sms, moto, args) for mode in ("direct", "queued")}
    result["targets"] = targets(result)
    return result


def table(result: dict, with_targets: bool = True) -> str:
    head = f"{'mode':<8}{'sent':>7}{'lost':>7}{'dupl.':>7}{'rate/MPS':>10}{'throttled':>11}"
    head += f"{'SMS calls':>11}{'AJO calls':>11}{'wall':>8}"
    lines = [
        f"BURST: {result['direct']['offered']} messages offered at "
        f"{result['direct']['offered_rate']:g}/s, loopback SMS API at "
        f"{result['direct']['mps']:g} MPS per identity, dispatcher maximum concurrency "
        f"{result['queued']['concurrency']} per queue",
        head,
        "-" * len(head),
    ]
    for mode in ("direct", "queued"):
        r = result[mode]
        lines.append(
            f"{mode:<8}{r['sent']:>7}{r['lost']:>7}{r['duplicates']:>7}{r['rate_over_mps']:>10.3f}"
            f"{r['throttled_share']:>10.1%}{r['sms_calls']:>11}{r['ajo_calls']:>11}"
            f"{r['wall_seconds']:>7.0f}s"
        )
    a = result["queued"]["accept"]
    lines += [
        f"  AJO final statuses: direct {result['direct']['ajo_final_statuses']}, "
        f"queued {result['queued']['ajo_final_statuses']}",
        f"  queued accept p50 {a['handler_median_us'] / 1000:.2f} ms vs floor "
        f"{a['floor_median_us'] / 1000:.2f} ms (ratio {a['ratio']:.3f}); p99 "
        f"{a['handler_p99_us'] / 1000:.2f} vs {a['floor_p99_us'] / 1000:.2f} ms "
        f"(ratio {a['p99_ratio']:.3f}); floor: {a['floor']}, {a['requests']} interleaved",
        "  rate: SMS accepted after the first / seconds from the first to the last",
    ]
    for t in result["targets"] if with_targets else ():
        lines.append(f"  {t['verdict']:<5} {t['target']:<44} {t['value']:>9.3f} vs {t['limit']:g}")
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--mps", type=float, default=25.0)
    parser.add_argument("--offered-factor", type=float, default=10.0, help="x MPS")
    parser.add_argument("--accept-requests", type=int, default=300)
    parser.add_argument(
        "--concurrency", type=int, default=2, help="per queue (the module's default)"
    )
    parser.add_argument("--json", type=Path)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.update(bench_send.FAKE_AWS)
    with moto_servers() as moto:
        result = measure(
            moto, args.messages, args.mps, args.offered_factor, args.accept_requests,
            args.concurrency,
        )  # fmt: skip
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
