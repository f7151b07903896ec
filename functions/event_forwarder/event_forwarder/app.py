"""Cold-start wiring (one ObjectForwarder per configured target) and the SQS
batch loop.

Each SQS message carries one S3 notification (one or more ObjectCreated
records). A message is reported as a batch item failure unless every object it
names was forwarded to every target, so SQS redelivers exactly the unfinished
ones and, after maxReceiveCount, moves them to the dead-letter queue. Each
target resumes from its own checkpoint: the redelivery re-posts nothing a
target already finished."""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections.abc import Callable
from functools import partial

from ajo_runtime import aws, backoff, http, jsonlog, sqs_batch
from ajo_runtime.header_secret import HeaderSecret

from . import config, feedback, xdm
from .checkpoint import CheckpointStore
from .credentials import TokenProvider
from .feedback_webhook import FeedbackWebhook
from .forwarder import ObjectForwarder, RetryLater
from .inlet import Inlet
from .target import Target

# Stop starting new work this long before Lambda's own timeout, so the last
# checkpoint write and the response always fit.
SAFETY_SECONDS = 10.0
LOGGER_NAME = "event_forwarder"
AEP_REQUEST_OVERHEAD = len('{"messages":[]}')

Forward = Callable[[dict, object], dict]


def build(
    environ: dict[str, str] | None = None,
    s3_client=None,
    secrets_client=None,
    post: Callable[..., http.Response] = http.post,
    sleep: Callable[[float], None] = time.sleep,
) -> Forward:
    try:
        cfg = config.load(environ)
    except config.ConfigError as error:
        return sqs_batch.misconfigured(jsonlog.configure(LOGGER_NAME), "forwarder", str(error))
    logger = jsonlog.configure(LOGGER_NAME, cfg.log_level)
    s3_client = s3_client or aws.client("s3")
    retry = backoff.Backoff(
        cfg.max_attempts, cfg.backoff_base_seconds, cfg.backoff_max_seconds, sleep=sleep
    )

    def secrets_for(arn: str):
        return secrets_client or aws.client("secretsmanager", aws.region_of(arn))

    targets = []
    if cfg.aep is not None:
        tokens = TokenProvider(
            secrets_for(cfg.aep.secret_arn), cfg.aep.secret_arn, cfg.http_timeout_seconds
        )
        inlet = Inlet(cfg, tokens, logger, retry, post=post)
        envelope = partial(xdm.envelope, cfg.aep)
        targets.append(Target("aep", cfg.aep.prefixes, envelope, inlet, AEP_REQUEST_OVERHEAD))
    if cfg.feedback is not None:
        arn = cfg.feedback.secret_arn
        secret = HeaderSecret(secrets_for(arn), arn) if arn else None
        webhook = FeedbackWebhook(cfg, secret, logger, retry, post=post)
        report = partial(feedback.body, client_reference_key=cfg.feedback.client_reference_key)
        targets.append(Target("ajo-feedback", cfg.feedback.prefixes, report, webhook))
    forwarders = [
        ObjectForwarder(
            cfg, s3_client, t, CheckpointStore(s3_client, t.prefixes.checkpoint), logger
        )
        for t in targets
    ]
    notifications = Notifications(cfg, forwarders, logger)
    return sqs_batch.PartialBatch(
        notifications.handle, describe, lambda: RetryLater("OUT_OF_TIME"), logger, SAFETY_SECONDS
    )


def describe(error: Exception) -> sqs_batch.LogLine | None:
    """The log line of a failed message; None for an AWS API failure (retried via SQS)."""
    if isinstance(error, RetryLater):
        return logging.WARNING, sqs_batch.UNFINISHED, {"reason": error.reason}
    if isinstance(error, NotANotification):
        # Never succeeds: fail it so SQS moves it to the DLQ for a look.
        return logging.ERROR, "not an S3 notification", {"reason": str(error)}
    return None


class Notifications:
    """The S3 notifications the queue carries, each forwarded to every target."""

    def __init__(
        self, cfg: config.Config, forwarders: list[ObjectForwarder], logger: logging.Logger
    ):
        self._cfg = cfg
        self._forwarders = forwarders
        self._logger = logger

    def handle(self, record: dict, deadline: float, log: dict) -> None:
        """Forward every events object the SQS message names, or raise."""
        for bucket, key in s3_objects(record.get("body") or ""):
            ours = key.startswith(self._cfg.state_prefixes)  # never loop on our own writes
            if ours or not key.startswith(self._cfg.events_prefix):
                self._logger.info("not an events object, skipped", extra={**log, "key": key})
                continue
            log.update(bucket=bucket, key=key)
            unfinished = [
                reason
                for forwarder in self._forwarders
                if (reason := self._forward(forwarder, bucket, key, deadline, log))
            ]
            if unfinished:
                raise RetryLater(",".join(unfinished))

    def _forward(self, forwarder: ObjectForwarder, bucket, key, deadline, log) -> str | None:
        """One target's turn at the object, apart from the others' (a failing
        target holds up none); why it is unfinished, or None."""
        try:
            result = forwarder.forward(bucket, key, deadline)
        except RetryLater as later:
            return f"{forwarder.target}:{later.reason}"
        except Exception as error:  # an AWS API failure: retried via SQS
            self._logger.error(
                "target failed",
                extra={**log, "target": forwarder.target, "errorType": type(error).__name__},
            )
            return f"{forwarder.target}:{type(error).__name__}"
        self._logger.info("object forwarded", extra={**log, **vars(result)})
        return None


class NotANotification(ValueError):
    """The SQS message body is not an S3 event notification."""


def s3_objects(body: str) -> list[tuple[str, str]]:
    """(bucket, key) of each ObjectCreated record of an S3 notification body.
    S3's test event (sent when the notification is configured) names none."""
    try:
        notification = json.loads(body)
    except json.JSONDecodeError:
        raise NotANotification("body is not JSON") from None
    if not isinstance(notification, dict):
        raise NotANotification("body is not a JSON object")
    if notification.get("Event") == "s3:TestEvent":
        return []
    records = notification.get("Records")
    if not isinstance(records, list):
        raise NotANotification("no Records")
    objects = []
    for record in records:
        if not isinstance(record, dict):
            raise NotANotification("a record is not a JSON object")
        if not str(record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        try:
            bucket = record["s3"]["bucket"]["name"]
            key = record["s3"]["object"]["key"]
        except (KeyError, TypeError):
            raise NotANotification("record without s3.bucket.name / s3.object.key") from None
        if not isinstance(bucket, str) or not isinstance(key, str) or not bucket or not key:
            raise NotANotification("s3.bucket.name / s3.object.key are not strings")
        # S3 URL-encodes keys in notifications ('+' for a space).
        objects.append((bucket, urllib.parse.unquote_plus(key)))
    return objects
