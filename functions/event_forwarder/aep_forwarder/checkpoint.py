"""Per-object progress, kept as a small JSON object next to the events.

A checkpoint says which events of one source object are finished (accepted,
rejected or unknown: forwarder.py): every index below `next`, plus the indexes
in `done`; `inflight` is the batch being posted. A retried SQS message, or a
duplicate S3 notification, resumes there instead of posting events again.

Writes are conditional on the checkpoint's ETag (S3 conditional writes), and a
worker holds a time-limited lease while it posts: two invocations working on
the same object (S3 delivers notifications at least once) cannot both post."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from botocore.exceptions import ClientError

VERSION = 1
_CONFLICT_CODES = {"PreconditionFailed", "ConditionalRequestConflict"}


class LeaseBusy(Exception):
    """Another invocation holds the object's lease: retry this message later."""


class LeaseLost(Exception):
    """The checkpoint changed under us (our lease expired and was taken)."""


@dataclass
class Checkpoint:
    next: int = 0
    done: set[int] = field(default_factory=set)
    complete: bool = False
    accepted: int = 0
    rejected: int = 0
    unknown: int = 0
    inflight: list[int] = field(default_factory=list)
    source_etag: str | None = None
    lease_owner: str | None = None
    lease_until: float = 0.0
    etag: str | None = None  # of the checkpoint object itself; None: not stored yet

    def finished(self, index: int) -> bool:
        return index < self.next or index in self.done

    def record(self, finished: set[int]) -> None:
        """Mark `finished` done. Events are posted in order, so every index
        from `next` on is either done already, finished now, or unresolved:
        `next` advances to the first one still unresolved."""
        self.done |= finished
        while self.next in self.done:
            self.done.discard(self.next)
            self.next += 1

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "version": VERSION,
                "next": self.next,
                "done": sorted(self.done),
                "complete": self.complete,
                "accepted": self.accepted,
                "rejected": self.rejected,
                "unknown": self.unknown,
                "inflight": self.inflight,
                "sourceEtag": self.source_etag,
                "leaseOwner": self.lease_owner,
                "leaseUntil": self.lease_until,
            },
            separators=(",", ":"),
        ).encode()

    @classmethod
    def from_json(cls, data: bytes, etag: str) -> Checkpoint:
        raw = json.loads(data)
        return cls(
            next=int(raw.get("next", 0)),
            done={int(i) for i in raw.get("done", [])},
            complete=bool(raw.get("complete", False)),
            accepted=int(raw.get("accepted", 0)),
            rejected=int(raw.get("rejected", 0)),
            unknown=int(raw.get("unknown", 0)),
            inflight=[int(i) for i in raw.get("inflight", [])],
            source_etag=raw.get("sourceEtag"),
            lease_owner=raw.get("leaseOwner"),
            lease_until=float(raw.get("leaseUntil", 0.0)),
            etag=etag,
        )


class CheckpointStore:
    def __init__(self, s3_client, prefix: str):
        self._s3 = s3_client
        self._prefix = prefix

    def key_for(self, source_key: str) -> str:
        return f"{self._prefix}{source_key}.json"

    def load(self, bucket: str, source_key: str) -> Checkpoint:
        try:
            answer = self._s3.get_object(Bucket=bucket, Key=self.key_for(source_key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                return Checkpoint()
            raise
        with answer["Body"] as body:
            return Checkpoint.from_json(body.read(), answer["ETag"])

    def save(self, bucket: str, source_key: str, checkpoint: Checkpoint) -> None:
        condition = {"IfMatch": checkpoint.etag} if checkpoint.etag else {"IfNoneMatch": "*"}
        try:
            answer = self._s3.put_object(
                Bucket=bucket,
                Key=self.key_for(source_key),
                Body=checkpoint.to_json(),
                ContentType="application/json",
                **condition,
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _CONFLICT_CODES:
                raise LeaseLost() from None
            raise
        checkpoint.etag = answer["ETag"]

    def acquire(
        self, bucket: str, source_key: str, source_etag: str, owner: str, until: float, now: float
    ) -> Checkpoint:
        """The object's checkpoint with our lease on it, or LeaseBusy."""
        checkpoint = self.load(bucket, source_key)
        if checkpoint.source_etag not in (None, source_etag):
            # The source object was replaced: its events are new ones.
            checkpoint = Checkpoint(etag=checkpoint.etag)
        checkpoint.source_etag = source_etag
        if checkpoint.complete:
            return checkpoint
        if checkpoint.lease_owner not in (None, owner) and checkpoint.lease_until > now:
            raise LeaseBusy()
        checkpoint.lease_owner, checkpoint.lease_until = owner, until
        try:
            self.save(bucket, source_key, checkpoint)
        except LeaseLost:
            raise LeaseBusy() from None  # someone else wrote it first
        return checkpoint

    def release(self, bucket: str, source_key: str, checkpoint: Checkpoint) -> None:
        checkpoint.lease_owner, checkpoint.lease_until = None, 0.0
        self.save(bucket, source_key, checkpoint)
