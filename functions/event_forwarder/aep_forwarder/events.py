"""Read a Firehose events object: GZIP (or plain) JSON, one event per line.

Events are numbered in file order; the numbering is the checkpoint's unit, so
it must be deterministic: empty lines do not count, and a line holding several
concatenated JSON objects (a stream without the newline processor) yields each
of them. A part that is not JSON becomes a `Malformed` item, so it is kept
(written to the rejects) rather than silently dropped."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass

GZIP_MAGIC = b"\x1f\x8b"
_decoder = json.JSONDecoder()


@dataclass(frozen=True)
class Malformed:
    raw: str
    reason: str


class _Peeked:
    """A read-only stream with its first bytes already consumed (to sniff gzip)."""

    def __init__(self, head: bytes, stream):
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._stream.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            if len(data) < size:
                data += self._stream.read(size - len(data))
            return data
        return self._stream.read(size)

    def readable(self) -> bool:
        return True


def open_lines(stream) -> Iterator[bytes]:
    """Lines of the object, decompressed when it is gzip (sniffed, not guessed
    from the key: Firehose's `.gz` suffix is configurable)."""
    head = stream.read(2)
    peeked = _Peeked(head, stream)
    if head == GZIP_MAGIC:
        with gzip.GzipFile(fileobj=peeked, mode="rb") as unzipped:
            yield from unzipped
    else:
        buffer = b""
        while chunk := peeked.read(1 << 16):
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            yield from lines
        if buffer:
            yield buffer


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
