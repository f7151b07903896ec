"""Reading Firehose objects: numbering must be deterministic, nothing dropped."""

from __future__ import annotations

import gzip
import io
import json

from event_forwarder.events import Malformed, iter_events


def read(data: bytes) -> list:
    return list(iter_events(io.BytesIO(data)))


def test_gzip_and_plain_objects_read_the_same():
    lines = b'{"a": 1}\n{"a": 2}\n'
    assert read(gzip.compress(lines)) == read(lines) == [(0, {"a": 1}), (1, {"a": 2})]


def test_empty_lines_do_not_count_and_concatenated_objects_split():
    data = b'\n{"a": 1}{"a": 2}\r\n\n  {"a": 3}  \n'
    assert read(data) == [(0, {"a": 1}), (1, {"a": 2}), (2, {"a": 3})]


def test_malformed_parts_are_items_with_a_reason():
    data = b'{"a": 1} garbage\n"text"\n\xff\xfe\n{"a": 2}'
    items = read(data)
    assert items[0] == (0, {"a": 1})
    assert items[1] == (1, Malformed("garbage", "INVALID_JSON"))
    assert items[2] == (2, Malformed('"text"', "NOT_AN_OBJECT"))
    assert items[3][1].reason == "NOT_UTF8"
    assert items[4] == (4, {"a": 2})


def test_large_object_is_streamed_in_order():
    events = [{"i": i, "pad": "x" * 100} for i in range(5000)]
    data = gzip.compress("\n".join(json.dumps(e) for e in events).encode())
    assert [item["i"] for _, item in read(data)] == list(range(5000))
