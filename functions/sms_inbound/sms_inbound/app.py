"""Cold-start wiring and the SQS batch loop.

Each SQS message is one inbound SMS. Every message is handled on its own and reported
as a batch item failure unless all its steps are done, so SQS redelivers exactly the
unfinished ones (and, after maxReceiveCount, moves them to the DLQ). The steps are
independent: one failing does not stop the others, and each is recorded as done in
the message's progress item, so a retry repeats only what is missing."""

from __future__ import annotations

import itertools
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from ajo_runtime import aws, http, jsonlog, settings, sqs_batch
from ajo_runtime.backoff import Backoff
from ajo_runtime.header_secret import HeaderSecret
from ajo_runtime.masking import mask
from ajo_runtime.metrics import Emf
from botocore.exceptions import BotoCoreError, ClientError

from . import config, export, progress
from .errors import StepFailed
from .inbound import InboundMessage, Unprocessable, parse
from .keywords import Category, classify, first_word
from .progress import Progress
from .sms import OptOutList, Replies, Sent
from .webhook import BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS, Webhook

LOGGER_NAME = "sms_inbound"
# Stop starting new messages this long before Lambda's timeout, so the last progress
# write and the response always fit.
SAFETY_SECONDS = 5.0
SMS_SERVICE = "pinpoint-sms-voice-v2"
# botocore's retries off for SendTextMessage: a retried lost answer is a second text.
ONE_ATTEMPT = {"mode": "standard", "total_max_attempts": 1}

Process = Callable[[dict, Any], dict]
# EMF members of the "processed" line: counted once, when a message's steps first run.
METRICS = ("Inbound", "OptOuts", "OptIns", "HelpRequests")
_CATEGORY_METRIC = {Category.OPT_OUT: "OptOuts", Category.OPT_IN: "OptIns",
                    Category.HELP: "HelpRequests"}  # fmt: skip


def build(
    environ: dict[str, str] | None = None,
    post: Callable[..., http.Response] = http.post,
    sleep: Callable[[float], None] = time.sleep,
) -> Process:
    try:
        cfg = config.load(environ)
    except config.ConfigError as error:
        return sqs_batch.misconfigured(
            jsonlog.configure(LOGGER_NAME), "inbound function", str(error)
        )
    logger = jsonlog.configure(LOGGER_NAME, cfg.log_level)
    opt_out_list = replies = webhook = events = None
    if cfg.self_managed:
        opt_out_list = OptOutList(aws.client(SMS_SERVICE), cfg.opt_out_list)
        replies = Replies(aws.client(SMS_SERVICE, retries=ONE_ATTEMPT), cfg.configuration_set)
    if cfg.webhook_url:
        secret = None
        if cfg.webhook_secret_arn:
            region = aws.region_of(cfg.webhook_secret_arn)
            secret = HeaderSecret(aws.client("secretsmanager", region), cfg.webhook_secret_arn)
        webhook = Webhook(
            cfg.webhook_url, cfg.webhook_header, secret, cfg.max_attempts,
            cfg.http_timeout_seconds, logger, post=post, sleep=sleep,
        )  # fmt: skip
    if cfg.events_stream:
        events = export.EventStream(aws.client("firehose"), cfg.events_stream)
    steps = Steps(
        cfg, Progress(aws.client("dynamodb"), cfg.table), opt_out_list, replies, webhook,
        events, logger, sleep, Emf(METRICS, settings.environ(environ)),
    )  # fmt: skip
    return sqs_batch.PartialBatch(
        steps.handle, describe, lambda: StepFailed("batch", "OUT_OF_TIME"), logger, SAFETY_SECONDS
    )


def describe(error: Exception) -> sqs_batch.LogLine | None:
    """The log line of a failed message; None for a bug (the message is retried, never
    lost)."""
    if isinstance(error, Unprocessable):
        # Never succeeds: failed, so SQS moves it to the DLQ, where it is kept.
        message = "not an inbound SMS notification, left for the DLQ"
        return logging.ERROR, message, {"reason": str(error)}
    if isinstance(error, StepFailed):
        return logging.WARNING, sqs_batch.UNFINISHED, {"failed": {error.step: error.reason}}
    return None


class Steps:
    """The steps of one inbound message, each done once per inboundMessageId."""

    def __init__(
        self,
        cfg: config.Config,
        store: Progress,
        opt_out_list: OptOutList | None,
        replies: Replies | None,
        webhook: Webhook | None,
        events: export.EventStream | None,
        logger: logging.Logger,
        sleep: Callable[[float], None],
        metrics: Emf | None = None,
    ):
        self._metrics = metrics or Emf(METRICS, {})
        self._cfg = cfg
        self._store = store
        self._opt_out_list = opt_out_list
        self._replies = replies
        self._webhook = webhook
        self._events = events
        self._logger = logger
        self._backoff = Backoff(
            cfg.max_attempts, BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS, sleep=sleep
        )

    def handle(self, record: dict, deadline: float, log: dict) -> None:
        """One SQS record: its message's steps (Unprocessable if it holds none)."""
        self.run(parse(record.get("body") or ""), deadline, log)

    def run(self, message: InboundMessage, deadline: float, log: dict) -> None:
        """Do what is missing. If anything is: StepFailed when the progress cannot be
        read (nothing was tried), else the message's line logged and sqs_batch.Reported."""
        category = classify(message.body, self._cfg.keywords)
        keyword = first_word(message.body)
        log.update(
            inboundMessageId=message.inbound_message_id,
            originationNumber=mask(message.origination_number),
            destinationNumber=mask(message.destination_number),
            keywordCategory=str(category),
        )
        try:
            state = self._store.load(message.inbound_message_id)
        except (BotoCoreError, ClientError) as error:
            raise StepFailed("progress", aws.reason(error)) from None
        log["alreadyDone"] = sorted(state) or None
        done: list[str] = []
        failed: list[StepFailed] = []

        def attempt(step: Callable[[], str | None]) -> bool:
            try:
                finished = step()
            except StepFailed as error:
                failed.append(error)
                return False
            except (BotoCoreError, ClientError) as error:  # the progress table
                failed.append(StepFailed("progress", aws.reason(error)))
                return False
            if finished:
                done.append(finished)
            return True

        mid = message.inbound_message_id
        if self._cfg.self_managed:
            if category == Category.OPT_OUT:
                # Reply first: End User Messaging refuses texts to an opted-out number.
                # The list is updated whatever happened to the reply.
                attempt(lambda: self._reply(message, category, state, log))
                attempt(lambda: self._list(mid, message.origination_number, category, state))
            elif category == Category.OPT_IN:
                # Off the list first, or the confirmation is refused.
                if attempt(lambda: self._list(mid, message.origination_number, category, state)):
                    attempt(lambda: self._reply(message, category, state, log))
            else:
                attempt(lambda: self._reply(message, category, state, log))
        if self._webhook is not None:
            attempt(lambda: self._forward(message, keyword, category, state, deadline, log))
        if self._events is not None:
            attempt(lambda: self._export(message, keyword, category, state))
        log["done"] = done or None
        if failed:
            log["failed"] = {f.step: f.reason for f in failed}
            permanent = [f for f in failed if f.permanent]
            self._logger.log(
                logging.ERROR if permanent else logging.WARNING,
                "inbound message not finished, it returns to the queue",
                extra=log,
            )
            raise sqs_batch.Reported
        first = bool(done)  # a duplicate (SNS or SQS) did nothing and counts nothing
        values = {"Inbound": int(first)}
        if first and category in _CATEGORY_METRIC:
            values[_CATEGORY_METRIC[category]] = 1
        emf = self._metrics.fragment(str(category), values)
        self._logger.info("inbound message processed", extra={**log, "emf": emf})

    def _list(self, mid: str, number: str, category: Category, state: dict) -> str | None:
        if state.get(progress.OPT_OUT_LIST) == progress.DONE:
            return None
        if category == Category.OPT_OUT:
            self._opt_out_list.opt_out(number)
        else:
            self._opt_out_list.opt_in(number)
        self._store.record(mid, progress.OPT_OUT_LIST, progress.DONE)
        return progress.OPT_OUT_LIST

    def _reply(
        self, message: InboundMessage, category: Category, state: dict, log: dict
    ) -> str | None:
        text = self._cfg.replies.get(category)
        if not text or state.get(progress.REPLY):
            return None  # no reply configured, or an earlier run sent or claimed it
        mid = message.inbound_message_id
        token = uuid.uuid4().hex
        if not self._store.claim_reply(mid, token):
            # Another run holds it (a duplicate in flight, or one that died mid-send):
            # its send may have happened, so this one never sends.
            log["reply"] = "CLAIMED_ELSEWHERE"
            return None
        for attempt in itertools.count(1):
            outcome = self._replies.send(
                message.origination_number, message.destination_number, text
            )
            if not outcome.retry or not self._backoff.before_retry(attempt):
                break
        if outcome.sent == Sent.NOT_SENT:
            self._store.release_reply(mid, token)
            raise StepFailed("reply", outcome.reason or "NOT_SENT")
        status = {
            Sent.SENT: progress.SENT,
            Sent.UNKNOWN: progress.UNKNOWN,  # never resent: a duplicate is worse than none
            Sent.REFUSED: progress.REFUSED,
        }[outcome.sent]
        if outcome.sent != Sent.SENT:
            log["reply"] = f"{status}:{outcome.reason}"
        self._store.record(mid, progress.REPLY, status)
        return progress.REPLY

    def _forward(
        self,
        message: InboundMessage,
        keyword: str,
        category: Category,
        state: dict,
        deadline: float,
        log: dict,
    ) -> str | None:
        if state.get(progress.WEBHOOK) == progress.FORWARDED:
            return None
        body = {
            "InboundMessage": message.body,
            "ProfileNumber": message.origination_number,
            "RequestID": message.inbound_message_id,
            "OriginTimestamp": message.timestamp_iso,
            "InboundNumber": message.destination_number,
            "Keyword": keyword,
            "KeywordCategory": str(category),
        }
        attempts = self._webhook.forward(body, deadline, log)
        log["webhookAttempts"] = attempts
        self._store.record(message.inbound_message_id, progress.WEBHOOK, progress.FORWARDED)
        return progress.WEBHOOK

    def _export(
        self, message: InboundMessage, keyword: str, category: Category, state: dict
    ) -> str | None:
        if state.get(progress.EXPORT) == progress.EXPORTED:
            return None
        self._events.put(export.event(message, keyword, category))
        self._store.record(message.inbound_message_id, progress.EXPORT, progress.EXPORTED)
        return progress.EXPORT
