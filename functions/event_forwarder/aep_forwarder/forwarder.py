"""Forward one events object to AEP: read, map, post in batches, checkpoint.

No event is lost: each one ends accepted by AEP, or rejected by it (and then
written, with AEP's reason, under the rejects prefix), or still pending in the
checkpoint, in which case the SQS message fails and comes back (and after
maxReceiveCount lands in the dead-letter queue, to be redriven). None is sent
twice by a retry: the checkpoint is written after every batch and a retry
resumes from it. The one window left is a crash between AEP's 200 and the
checkpoint write; each event's `_id` is deterministic so AEP can deduplicate."""

from __future__ import annotations

import contextlib
import json
import logging
import time
from dataclasses import dataclass, field

from botocore.exceptions import ClientError

from . import xdm
from .checkpoint import Checkpoint, CheckpointStore, LeaseBusy, LeaseLost
from .config import Config
from .credentials import CredentialsUnavailable
from .events import Malformed, iter_events
from .inlet import BatchOutcome, BatchRefused, Inlet, PayloadTooLarge, Rejection, Unauthorized

# The lease outlives the invocation's own deadline by this much, so a worker
# that is still finishing its last write is never overtaken.
LEASE_GRACE_SECONDS = 30
_REQUEST_OVERHEAD = len('{"messages":[]}')


class RetryLater(Exception):
    """The object is not finished; its SQS message must come back."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class ObjectResult:
    status: str  # FORWARDED, ALREADY_FORWARDED or GONE
    accepted: int = 0
    rejected: int = 0
    posts: int = 0


@dataclass
class _Batch:
    messages: dict[int, dict] = field(default_factory=dict)
    events: dict[int, dict] = field(default_factory=dict)
    rejects: dict[int, tuple[Rejection, dict | None, str | None]] = field(default_factory=dict)
    size: int = _REQUEST_OVERHEAD

    def __bool__(self) -> bool:
        return bool(self.messages or self.rejects)


class ObjectForwarder:
    def __init__(
        self,
        config: Config,
        s3_client,
        inlet: Inlet,
        checkpoints: CheckpointStore,
        logger: logging.Logger,
        clock=time.monotonic,
        wall_clock=time.time,
    ):
        self._config = config
        self._s3 = s3_client
        self._inlet = inlet
        self._checkpoints = checkpoints
        self._logger = logger
        self._clock = clock
        self._wall_clock = wall_clock

    def forward(self, bucket: str, key: str, owner: str, deadline: float) -> ObjectResult:
        try:
            answer = self._s3.get_object(Bucket=bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                # Deleted (lifecycle expiry) before we got to it: nothing to read.
                self._logger.warning("events object gone", extra={"bucket": bucket, "key": key})
                return ObjectResult("GONE")
            raise
        with contextlib.closing(answer["Body"]) as body:
            left = max(deadline - self._clock(), 0)
            lease_until = self._wall_clock() + left + LEASE_GRACE_SECONDS
            try:
                checkpoint = self._checkpoints.acquire(
                    bucket, key, answer["ETag"], owner, lease_until, self._wall_clock()
                )
            except LeaseBusy:
                raise RetryLater("LEASE_BUSY") from None
            if checkpoint.complete:
                return ObjectResult("ALREADY_FORWARDED", checkpoint.accepted, checkpoint.rejected)
            try:
                result = self._forward_events(bucket, key, body, checkpoint, deadline)
            except RetryLater:
                self._release(bucket, key, checkpoint)
                raise
        return result

    # -- one object ---------------------------------------------------------

    def _forward_events(
        self, bucket: str, key: str, body, checkpoint: Checkpoint, deadline: float
    ) -> ObjectResult:
        result = ObjectResult("FORWARDED")
        batch = _Batch()
        limit_bytes = self._config.batch_max_bytes
        for index, item in iter_events(body):
            if checkpoint.finished(index):
                continue
            if isinstance(item, Malformed):
                batch.rejects[index] = (Rejection(None, item.reason), None, item.raw)
                continue
            message = xdm.envelope(self._config, item)
            size = len(json.dumps(message, separators=(",", ":"))) + 1
            if size + _REQUEST_OVERHEAD > limit_bytes:
                batch.rejects[index] = (Rejection(None, "EVENT_TOO_LARGE"), item, None)
                continue
            full = len(batch.messages) >= self._config.batch_max_events
            if full or batch.size + size > limit_bytes:
                self._flush(bucket, key, batch, checkpoint, deadline, result)
                batch = _Batch()
            batch.messages[index] = message
            batch.events[index] = item
            batch.size += size
        if batch:
            self._flush(bucket, key, batch, checkpoint, deadline, result)
        checkpoint.complete = True
        checkpoint.lease_owner, checkpoint.lease_until = None, 0.0
        self._save(bucket, key, checkpoint)
        result.accepted, result.rejected = checkpoint.accepted, checkpoint.rejected
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
        outcome, failure = self._send(batch.messages, deadline)
        result.posts += outcome.attempts
        rejects = dict(batch.rejects)
        for index, rejection in outcome.rejected.items():
            rejects[index] = (rejection, batch.events.get(index), None)
        if rejects:
            self._write_rejects(bucket, key, rejects)
        checkpoint.accepted += len(outcome.accepted)
        checkpoint.rejected += len(rejects)
        checkpoint.record(set(outcome.accepted) | set(rejects))
        self._save(bucket, key, checkpoint)
        if outcome.unresolved:
            raise RetryLater(failure or "AEP_UNAVAILABLE")

    def _send(self, messages: dict[int, dict], deadline: float) -> tuple[BatchOutcome, str | None]:
        """Post, splitting on 413; a failure leaves the rest `unresolved` and
        is returned (not raised) so what did get through is still recorded."""
        if not messages:
            return BatchOutcome(), None
        if self._clock() >= deadline:
            return BatchOutcome(unresolved=sorted(messages)), "OUT_OF_TIME"
        try:
            return self._inlet.send(messages, deadline), None
        except PayloadTooLarge:
            if len(messages) == 1:
                (index,) = messages
                return BatchOutcome(rejected={index: Rejection(413, "EVENT_TOO_LARGE")}), None
            indexes = sorted(messages)
            half = len(indexes) // 2
            first, failure = self._send({i: messages[i] for i in indexes[:half]}, deadline)
            if failure:
                first.unresolved.extend(indexes[half:])
                return first, failure
            second, failure = self._send({i: messages[i] for i in indexes[half:]}, deadline)
            return _merge(first, second), failure
        except Unauthorized:
            reason = "AEP_UNAUTHORIZED"
        except BatchRefused as refused:
            self._logger.error(
                "aep refused the request",
                extra={"status": refused.status, "detail": refused.detail},
            )
            reason = f"AEP_REFUSED_{refused.status}"
        except CredentialsUnavailable as missing:
            reason = f"CREDENTIALS_UNAVAILABLE:{missing.reason}"
        return BatchOutcome(unresolved=sorted(messages)), reason

    def _write_rejects(self, bucket: str, key: str, rejects: dict) -> None:
        """Rejected events, with AEP's reason, as JSON lines under the rejects
        prefix: kept for inspection and replay, never dropped."""
        indexes = sorted(rejects)
        lines = []
        for index in indexes:
            rejection, event, raw = rejects[index]
            lines.append(
                json.dumps(
                    {
                        "source": f"s3://{bucket}/{key}",
                        "index": index,
                        "status": rejection.status,
                        "reason": rejection.message,
                        "event": event,
                        "raw": raw,
                    },
                    separators=(",", ":"),
                )
            )
        reject_key = f"{self._config.rejected_prefix}{key}/{indexes[0]:09d}-{indexes[-1]:09d}.jsonl"
        self._s3.put_object(
            Bucket=bucket,
            Key=reject_key,
            Body=("\n".join(lines) + "\n").encode(),
            ContentType="application/x-ndjson",
        )
        self._logger.warning(
            "events rejected by aep, kept under the rejects prefix",
            extra={"bucket": bucket, "key": key, "rejected": len(indexes), "rejects": reject_key},
        )

    def _save(self, bucket: str, key: str, checkpoint: Checkpoint) -> None:
        try:
            self._checkpoints.save(bucket, key, checkpoint)
        except LeaseLost:
            raise RetryLater("LEASE_LOST") from None

    def _release(self, bucket: str, key: str, checkpoint: Checkpoint) -> None:
        """Best effort: free the lease so the retry need not wait it out."""
        with contextlib.suppress(LeaseLost, ClientError):
            self._checkpoints.release(bucket, key, checkpoint)


def _merge(first: BatchOutcome, second: BatchOutcome) -> BatchOutcome:
    return BatchOutcome(
        accepted=first.accepted + second.accepted,
        rejected={**first.rejected, **second.rejected},
        unresolved=first.unresolved + second.unresolved,
        attempts=first.attempts + second.attempts,
    )
