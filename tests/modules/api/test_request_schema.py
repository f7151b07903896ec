"""The request model API Gateway validates bodies against (modules/api/
request_schema.json) mirrors CONTRACT.md section 1: what it lets through and
what it refuses before any Lambda runs. API Gateway speaks JSON Schema draft 4."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

REPO = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((REPO / "modules/api/request_schema.json").read_text())
VALIDATION = REPO / "functions/sms_send/ajo_sms_send/validation.py"
VALIDATOR = Draft4Validator(SCHEMA)

# CONTRACT.md section 1, request body: field -> JSON type.
CONTRACT_FIELDS = {
    "destinationNumber": "string",
    "message": "string",
    "defaultCountry": "string",
    "originationIdentity": "string",
    "poolId": "string",
    "messageType": "string",
    "configurationSetName": "string",
    "context": "object",
    "idempotencyKey": "string",
    "dryRun": "boolean",
    "delivery": "string",
}
MINIMAL = {"destinationNumber": "+14155550100", "message": "Your code is 123456"}


def valid(body) -> bool:
    return VALIDATOR.is_valid(body)


def test_schema_is_valid_draft_4():
    Draft4Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-04/schema#"


def test_schema_fields_are_the_contracts():
    assert {name: p["type"] for name, p in SCHEMA["properties"].items()} == CONTRACT_FIELDS
    assert SCHEMA["required"] == ["destinationNumber", "message"]


def test_schema_fields_are_the_ones_the_function_reads():
    """A field added to validation.py but not to the model (or the reverse) fails here."""
    source = VALIDATION.read_text()
    read = set(re.findall(r'(?:body\.get\(|_string\(body, )"(\w+)"', source))
    assert read == set(SCHEMA["properties"])


@pytest.mark.parametrize(
    "body",
    [
        MINIMAL,
        {"destinationNumber": "(415) 555-0100", "message": "hi", "defaultCountry": "US"},
        {
            **MINIMAL,
            "originationIdentity": "+18005550199",
            "poolId": "pool-0123456789abcdef",
            "messageType": "TRANSACTIONAL",
            "configurationSetName": "ajo-sms",
            "context": {f"k{i}": "v" * 800 for i in range(5)},
            "idempotencyKey": "k" * 256,
            "dryRun": True,
            "delivery": "queued",
        },
        {**MINIMAL, "delivery": "DIRECT"},  # case and allowed values: the function's rule
        {**MINIMAL, "journeyVersion": 3, "unknown": {"nested": True}},  # ignored, not refused
        {**MINIMAL, "message": "x" * 5000},  # length is the function's rule (MESSAGE_TOO_LONG)
        {**MINIMAL, "message": "   "},  # trimming too (its own error code)
    ],
)
def test_contract_bodies_pass(body):
    assert valid(body), list(VALIDATOR.iter_errors(body))


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        None,
        {"message": "hi"},
        {"destinationNumber": "+14155550100"},
        {**MINIMAL, "destinationNumber": 14155550100},
        {**MINIMAL, "destinationNumber": ""},
        {**MINIMAL, "message": None},
        {**MINIMAL, "message": ""},
        {**MINIMAL, "dryRun": "true"},
        {**MINIMAL, "context": {"journeyId": 42}},
        {**MINIMAL, "context": ["journeyId"]},
        {**MINIMAL, "context": {f"k{i}": "v" for i in range(6)}},
        {**MINIMAL, "context": {"k": "v" * 801}},
        {**MINIMAL, "idempotencyKey": ""},
        {**MINIMAL, "idempotencyKey": "k" * 257},
        {**MINIMAL, "messageType": 1},
        {**MINIMAL, "delivery": True},
    ],
)
def test_malformed_bodies_are_refused(body):
    assert not valid(body)
