"""Map an SMS event to an AEP streaming message (XDM envelope).

The XDM body comes from a JSON template whose strings may hold placeholders:
  "{{path}}" as a whole value -> the event's value at `path`, any JSON type
                                  (the key is dropped when the event lacks it);
  "...{{path}}..." inside text -> the value as text ("" when missing).
Paths are event fields, dotted for nested ones (`context.journeyId`), plus
computed ones: `_id` (deterministic, see event_id) and `timestamp` (ISO 8601
from eventTimestamp). Keys may hold placeholders too (tenant namespaces)."""

from __future__ import annotations

import hashlib
import json
import re

from .config import AepConfig
from .events import iso_timestamp

_WHOLE = re.compile(r"^\{\{\s*([A-Za-z0-9_.$-]+)\s*\}\}$")
_INLINE = re.compile(r"\{\{\s*([A-Za-z0-9_.$-]+)\s*\}\}")
_MISSING = object()


def event_id(event: dict) -> str:
    """Same event -> same `_id`, so a redelivered event (Firehose and SQS are
    at-least-once) can be deduplicated downstream instead of counted twice."""
    basis = json.dumps(
        [event.get("messageId"), event.get("eventType"), event.get("eventTimestamp")],
        separators=(",", ":"),
    )
    if event.get("messageId") is None:
        basis = json.dumps(event, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def _lookup(event: dict, computed: dict, path: str):
    if path in computed:
        return computed[path] if computed[path] is not None else _MISSING
    value = event
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value if value is not None else _MISSING


def render(template, event: dict):
    computed = {"_id": event_id(event), "timestamp": iso_timestamp(event)}

    def text(value) -> str:
        return value if isinstance(value, str) else json.dumps(value)

    def walk(node):
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                rendered = walk(value)
                if rendered is _MISSING:
                    continue
                out[walk_text(key)] = rendered
            return out
        if isinstance(node, list):
            return [item for item in (walk(v) for v in node) if item is not _MISSING]
        if isinstance(node, str):
            whole = _WHOLE.match(node)
            if whole:
                return _lookup(event, computed, whole.group(1))
            return walk_text(node)
        return node

    def walk_text(node: str) -> str:
        def substitute(match: re.Match) -> str:
            value = _lookup(event, computed, match.group(1))
            return "" if value is _MISSING else text(value)

        return _INLINE.sub(substitute, node)

    rendered = walk(template)
    return {} if rendered is _MISSING else rendered


def envelope(config: AepConfig, event: dict) -> dict:
    """One message of a streaming batch request (header + body)."""
    schema_ref = {"id": config.schema_id, "contentType": config.schema_content_type}
    return {
        "header": {
            "schemaRef": schema_ref,
            "imsOrgId": config.ims_org_id,
            "datasetId": config.dataset_id,
            "source": {"name": config.source_name},
        },
        "body": {
            "xdmMeta": {"schemaRef": schema_ref},
            "xdmEntity": render(config.template, event),
        },
    }
