"""Forward one events object to one target: read, map, post in batches,
checkpoint (one ObjectForwarder per target, each with its own checkpoints).

A target may keep every copy it is sent (AEP: README, Duplicates), so no
event is posted twice: the checkpoint says which events are finished, and a
batch is marked in flight before it is posted. Each event ends
  accepted   the target said so;
  skipped    not for this target (e.g. an inbound message for the feedback
             webhook): finished, never posted;
  rejected   the target refused it (or it cannot be mapped): kept with the
             reason under the rejects prefix;
  unknown    the target may have it (answer lost, 5xx, unmatched 207, or the
             run stopped with the batch in flight): kept under the unknown
             prefix to be checked there, never posted again;
or still pending in the checkpoint: the SQS message fails and comes back (and
after maxReceiveCount lands in the dead-letter queue, to be redriven)."""

from __future__ import annotations

import contextlib
import json
import logging
import time
from dataclasses import dataclass, field

from ajo_runtime import aws
from botocore.exceptions import ClientError

from .checkpoint import NO_SUCH_KEY, Checkpoint, CheckpointStore, Conflict
from .config import Config
from .events import Malformed, iter_events
from .outcome import BatchOutcome, Rejection
from .target import NotForwardable, Target


class RetryLater(Exception):
    """The object is not finished; its SQS message must come back."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class ObjectResult:
    target: str
    status: str  # FORWARDED, ALREADY_FORWARDED or GONE
    accepted: int = 0
    rejected: int = 0
    unknown: int = 0
    skipped: int = 0
    posts: int = 0


# index -> (why, the event when it parsed, the raw line when it did not)
Kept = dict[int, tuple[Rejection, dict | None, str | None]]


@dataclass
class _Batch:
    messages: dict[int, dict] = field(default_factory=dict)
    events: dict[int, dict] = field(default_factory=dict)
    rejects: Kept = field(default_factory=dict)
    unknown: Kept = field(default_factory=dict)
    skipped: set[int] = field(default_factory=set)
    size: int = 0

    def __bool__(self) -> bool:
        return bool(self.messages or self.rejects or self.unknown or self.skipped)


class ObjectForwarder:
    def __init__(
        self,
        config: Config,
        s3_client,
        target: Target,
        checkpoints: CheckpointStore,
        logger: logging.Logger,
        clock=time.monotonic,
    ):
        self._config = config
        self._s3 = s3_client
        self._target = target
        self._checkpoints = checkpoints
        self._logger = logger
        self._clock = clock

    @property
    def target(self) -> str:
        return self._target.name

    def forward(self, bucket: str, key: str, deadline: float) -> ObjectResult:
        try:
            answer = self._s3.get_object(Bucket=bucket, Key=key)
        except ClientError as error:
            if aws.error_code(error) in NO_SUCH_KEY:
                # Deleted (lifecycle expiry) before we got to it: nothing to read.
                self._logger.warning("events object gone", extra={"bucket": bucket, "key": key})
                return ObjectResult(self.target, "GONE")
            raise
        with contextlib.closing(answer["Body"]) as body:
            checkpoint = self._checkpoints.load(bucket, key, answer["ETag"])
            if checkpoint.complete:
                return ObjectResult(
                    self.target,
                    "ALREADY_FORWARDED",
                    checkpoint.accepted,
                    checkpoint.rejected,
                    checkpoint.unknown,
                    checkpoint.skipped,
                )
            return self._forward_events(bucket, key, body, checkpoint, deadline)

    # -- one object ---------------------------------------------------------

    def _forward_events(
        self, bucket: str, key: str, body, checkpoint: Checkpoint, deadline: float
    ) -> ObjectResult:
        result = ObjectResult(self.target, "FORWARDED")
        overhead = self._target.request_overhead
        batch = _Batch(size=overhead)
        limit_bytes = self._config.batch_max_bytes
        interrupted = set(checkpoint.inflight)
        for index, item in iter_events(body):
            if checkpoint.finished(index):
                continue
            if isinstance(item, Malformed):
                batch.rejects[index] = (Rejection(None, item.reason), None, item.raw)
                continue
            if index in interrupted:  # posted by a run that stopped before the answer
                batch.unknown[index] = (Rejection(None, "INTERRUPTED"), item, None)
                continue
            try:
                message = self._target.message(item)
            except NotForwardable as why:
                batch.rejects[index] = (Rejection(None, why.reason), item, None)
                continue
            if message is None:
                batch.skipped.add(index)
                continue
            size = len(json.dumps(message, separators=(",", ":"))) + 1
            if size + overhead > limit_bytes:
                batch.rejects[index] = (Rejection(None, "EVENT_TOO_LARGE"), item, None)
                continue
            full = len(batch.messages) >= self._config.batch_max_events
            if full or batch.size + size > limit_bytes:
                self._flush(bucket, key, batch, checkpoint, deadline, result)
                batch = _Batch(size=overhead)
            batch.messages[index] = message
            batch.events[index] = item
            batch.size += size
        if batch:
            self._flush(bucket, key, batch, checkpoint, deadline, result)
        checkpoint.complete = True
        self._save(bucket, key, checkpoint)
        result.accepted, result.rejected = checkpoint.accepted, checkpoint.rejected
        result.unknown, result.skipped = checkpoint.unknown, checkpoint.skipped
        return result

    def _flush(
        self,
        bucket: str,
        key: str,
        batch: _Batch,
        checkpoint: Checkpoint,
        deadline: float,
        result: ObjectResult,
    ) -> None:
        if batch.messages:
            # Write-ahead: should this run stop before recording the answer,
            # the next one finds the batch in flight and does not post it again.
            checkpoint.inflight = sorted(batch.messages)
            self._save(bucket, key, checkpoint)
        outcome = self._send(batch.messages, deadline)
        result.posts += outcome.attempts
        rejects, unknown = dict(batch.rejects), dict(batch.unknown)
        for index, why in outcome.rejected.items():
            rejects[index] = (why, batch.events[index], None)
        for index, why in outcome.unknown.items():
            unknown[index] = (why, batch.events[index], None)
        prefixes = self._target.prefixes
        self._keep(prefixes.rejected, bucket, key, rejects)
        self._keep(prefixes.unknown, bucket, key, unknown)
        checkpoint.accepted += len(outcome.accepted)
        checkpoint.rejected += len(rejects)
        checkpoint.unknown += len(unknown)
        checkpoint.skipped += len(batch.skipped)
        checkpoint.record(set(outcome.accepted) | set(rejects) | set(unknown) | batch.skipped)
        checkpoint.inflight = []
        self._save(bucket, key, checkpoint)
        if outcome.unknown:
            # The target is failing after taking requests: post no more of
            # this object until the queue brings the message back.
            raise RetryLater("OUTCOME_UNKNOWN")
        if outcome.unresolved:
            raise RetryLater(outcome.failure or "TARGET_UNAVAILABLE")

    def _send(self, messages: dict[int, dict], deadline: float) -> BatchOutcome:
        """Post, splitting what the target finds too large (413) down to one event."""
        if not messages:
            return BatchOutcome()
        if self._clock() >= deadline:
            return BatchOutcome(unresolved=sorted(messages), failure="OUT_OF_TIME")
        outcome = self._target.sender.send(messages, deadline)
        if not outcome.too_large:
            return outcome
        rest, outcome.unresolved, outcome.too_large = outcome.unresolved, [], False
        if len(rest) == 1:
            outcome.rejected[rest[0]] = Rejection(413, "EVENT_TOO_LARGE")
            return outcome
        half = len(rest) // 2
        first = self._send({i: messages[i] for i in rest[:half]}, deadline)
        if first.failure or first.unknown:
            first.unresolved.extend(rest[half:])
            return _merge(outcome, first)
        return _merge(
            _merge(outcome, first), self._send({i: messages[i] for i in rest[half:]}, deadline)
        )

    def _keep(self, prefix: str, bucket: str, key: str, kept: Kept) -> None:
        """Events with why they were not accepted, as JSON lines under `prefix`:
        kept for inspection and replay, never dropped."""
        if not kept:
            return
        indexes = sorted(kept)
        lines = []
        for index in indexes:
            why, event, raw = kept[index]
            line = {"source": f"s3://{bucket}/{key}", "index": index, "status": why.status}
            line.update(reason=why.message, event=event, raw=raw)
            lines.append(json.dumps(line, separators=(",", ":")))
        kept_key = f"{prefix}{key}/{indexes[0]:09d}-{indexes[-1]:09d}.jsonl"
        self._s3.put_object(
            Bucket=bucket,
            Key=kept_key,
            Body=("\n".join(lines) + "\n").encode(),
            ContentType="application/x-ndjson",
        )
        self._logger.warning(
            "events not accepted, kept",
            extra={
                "target": self.target,
                "bucket": bucket,
                "key": key,
                "count": len(indexes),
                "kept": kept_key,
            },
        )

    def _save(self, bucket: str, key: str, checkpoint: Checkpoint) -> None:
        try:
            self._checkpoints.save(bucket, key, checkpoint)
        except Conflict:
            raise RetryLater("CHECKPOINT_CONFLICT") from None  # another invocation has it


def _merge(first: BatchOutcome, second: BatchOutcome) -> BatchOutcome:
    return BatchOutcome(
        accepted=first.accepted + second.accepted,
        rejected={**first.rejected, **second.rejected},
        unknown={**first.unknown, **second.unknown},
        unresolved=first.unresolved + second.unresolved,
        failure=second.failure or first.failure,
        attempts=first.attempts + second.attempts,
    )
