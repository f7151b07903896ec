"""Per-object progress, kept as a small JSON object next to the events.

A checkpoint says which events of one source object are finished (accepted,
skipped, rejected or unknown: forwarder.py): every index below `next`, plus the indexes
in `done`; `inflight` is the batch being posted. A retried SQS message, or a
duplicate S3 notification, resumes there instead of posting events again.

Every write is conditional on the ETag the writer last saw (S3 conditional
writes) and a batch is marked in flight before it is posted, so of two
invocations on one object (S3 notifies at least once) only one can post a
given batch: the other's write fails (`Conflict`) and it stops. No lease is
needed; the price of a rare overlap is a batch kept as unknown."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

from ajo_runtime import aws
from botocore.exceptions import ClientError

VERSION = 1
NO_SUCH_KEY = frozenset({"NoSuchKey", "404"})  # a GetObject of a key that is not there
_CONFLICT_CODES = {"PreconditionFailed", "ConditionalRequestConflict"}
_JSON_NAMES = {"source_etag": "sourceEtag"}  # the stored names that differ


class Conflict(Exception):
    """Another invocation wrote the checkpoint since we read it."""


@dataclass
class Checkpoint:
    next: int = 0
    done: set[int] = field(default_factory=set)
    complete: bool = False
    accepted: int = 0
    rejected: int = 0
    unknown: int = 0
    skipped: int = 0  # not for this target: finished without a post
    inflight: list[int] = field(default_factory=list)
    source_etag: str | None = None
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
        data = {_JSON_NAMES.get(f.name, f.name): getattr(self, f.name) for f in fields(self)}
        del data["etag"]
        data["done"] = sorted(self.done)
        return json.dumps({"version": VERSION, **data}, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, data: bytes, etag: str) -> Checkpoint:
        raw = json.loads(data)
        names = {f.name: _JSON_NAMES.get(f.name, f.name) for f in fields(cls) if f.name != "etag"}
        checkpoint = cls(**{name: raw[key] for name, key in names.items() if key in raw}, etag=etag)
        checkpoint.done = set(checkpoint.done)
        return checkpoint


class CheckpointStore:
    def __init__(self, s3_client, prefix: str):
        self._s3 = s3_client
        self._prefix = prefix

    def key_for(self, source_key: str) -> str:
        return f"{self._prefix}{source_key}.json"

    def load(self, bucket: str, source_key: str, source_etag: str) -> Checkpoint:
        """The checkpoint of this version of the object (a fresh one when the
        object was replaced: its events are new ones)."""
        try:
            answer = self._s3.get_object(Bucket=bucket, Key=self.key_for(source_key))
        except ClientError as error:
            if aws.error_code(error) in NO_SUCH_KEY:
                return Checkpoint(source_etag=source_etag)
            raise
        with answer["Body"] as body:
            checkpoint = Checkpoint.from_json(body.read(), answer["ETag"])
        if checkpoint.source_etag != source_etag:
            checkpoint = Checkpoint(source_etag=source_etag, etag=checkpoint.etag)
        return checkpoint

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
            if aws.error_code(error) in _CONFLICT_CODES:
                raise Conflict() from None
            raise
        checkpoint.etag = answer["ETag"]
