"""Read a Firehose events object: GZIP (or plain) JSON, one event per line.

Events are numbered in file order; the numbering is the checkpoint's unit, so
it must be deterministic: empty lines do not count, and a line holding several
concatenated JSON objects (a stream without the newline processor) yields each
of them. A part that is not JSON becomes a `Malformed` item, so it is kept
(written to the rejects) rather than silently dropped."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

GZIP_MAGIC = b"\x1f\x8b"
_decoder = json.JSONDecoder()


@dataclass(frozen=True)
class Malformed:
    raw: str
    reason: str


def open_lines(stream) -> Iterator[bytes]:
    """Lines of the object, decompressed when it is gzip (sniffed, not guessed
    from the key: Firehose's `.gz` suffix is configurable)."""
    buffered = io.BufferedReader(stream, 1 << 16)
    if buffered.peek(len(GZIP_MAGIC)).startswith(GZIP_MAGIC):
        return gzip.GzipFile(fileobj=buffered, mode="rb")
    return buffered


def iter_events(stream) -> Iterator[tuple[int, dict | Malformed]]:
    """(index, event) for every event of the object, in order."""
    index = 0
    for raw_line in open_lines(stream):
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError:
            yield index, Malformed(raw_line.decode("utf-8", "replace"), "NOT_UTF8")
            index += 1
            continue
        for item in _split_line(line):
            yield index, item
            index += 1


def _split_line(line: str) -> Iterator[dict | Malformed]:
    position, end = 0, len(line)
    while True:
        while position < end and line[position].isspace():
            position += 1
        if position >= end:
            return
        try:
            value, position = _decoder.raw_decode(line, position)
        except json.JSONDecodeError:
            yield Malformed(line[position:].rstrip("\r\n"), "INVALID_JSON")
            return
        if isinstance(value, dict):
            yield value
        else:
            yield Malformed(json.dumps(value), "NOT_AN_OBJECT")


def iso_timestamp(event: dict) -> str | None:
    """The event's `eventTimestamp` (epoch milliseconds) as ISO 8601 UTC."""
    millis = event.get("eventTimestamp")
    if not isinstance(millis, int | float) or isinstance(millis, bool):
        return None
    moment = datetime.fromtimestamp(millis / 1000, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
