"""The request model API Gateway validates bodies against (modules/api/
request_schema.json) mirrors CONTRACT.md section 1: what it lets through and
what it refuses before any Lambda runs. API Gateway speaks JSON Schema draft 4."""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

REPO = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((REPO / "modules/api/request_schema.json").read_text())
FUNCTION_PACKAGE = REPO / "functions/sms_send/ajo_sms_send"
VALIDATION = FUNCTION_PACKAGE / "validation.py"
VALIDATOR = Draft4Validator(SCHEMA)


def _function_module(name: str):
    """A module of the send function's package, imported from its folder without a
    sys.path entry (the sms_send tests' import of the same folder reuses it)."""
    if "ajo_sms_send" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "ajo_sms_send",
            FUNCTION_PACKAGE / "__init__.py",
            submodule_search_locations=[str(FUNCTION_PACKAGE)],
        )
        package = importlib.util.module_from_spec(spec)
        sys.modules["ajo_sms_send"] = package
        spec.loader.exec_module(package)
    return importlib.import_module(f"ajo_sms_send.{name}")


Settings = _function_module("config").Settings
ApiError = _function_module("contract").ApiError
parse_body = _function_module("contract").parse_body
validate = _function_module("validation").validate

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
    "channel": "string",
    "mediaUrls": "array",
    "voiceId": "string",
    "messageBodyTextType": "string",
    "templateName": "string",
    "templateLanguage": "string",
    "templateParameters": "array",
}
MINIMAL = {"destinationNumber": "+14155550100", "message": "Your code is 123456"}
BUCKET = "ajo-media"
WHATSAPP_ID = "phone-number-id-" + "0" * 32
MEDIA = f"s3://{BUCKET}/journeys/offer.png"


def valid(body) -> bool:
    return VALIDATOR.is_valid(body)


def test_schema_is_valid_draft_4():
    Draft4Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-04/schema#"


def test_schema_fields_are_the_contracts():
    # An optional field may also be null: validation.py reads null as "not sent". So may
    # message: an MMS needs message, mediaUrls or both, a WhatsApp message or templateName
    # (the anyOf), anything else message.
    nullable = {
        name: kind if name == "destinationNumber" else [kind, "null"]
        for name, kind in CONTRACT_FIELDS.items()
    }
    assert {name: p["type"] for name, p in SCHEMA["properties"].items()} == nullable
    assert SCHEMA["required"] == ["destinationNumber"]
    assert [branch["required"] for branch in SCHEMA["anyOf"]] == [
        ["message"],
        ["mediaUrls"],
        ["templateName"],
    ]


def test_schema_fields_are_the_ones_the_function_reads():
    """A field added to validation.py but not to the model (or the reverse) fails here."""
    source = VALIDATION.read_text()
    read = set(re.findall(r'(?:body\.get\(|_string\(body, |_choice\(body, )"(\w+)"', source))
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
        {**MINIMAL, "defaultCountry": None, "context": None, "dryRun": None},  # = not sent
        {**MINIMAL, "channel": "MMS", "mediaUrls": [MEDIA]},
        {"destinationNumber": "+14155550100", "channel": "mms", "mediaUrls": [MEDIA]},
        {**MINIMAL, "channel": "mms", "message": None, "mediaUrls": [MEDIA]},
        {**MINIMAL, "channel": "VOICE", "voiceId": "joanna", "messageBodyTextType": "TEXT"},
        {
            **MINIMAL,
            "channel": "voice",
            "message": "<speak>Hi</speak>",
            "messageBodyTextType": "ssml",
        },
        {**MINIMAL, "channel": None, "mediaUrls": None, "voiceId": None},  # = not sent
        {
            "destinationNumber": "+14155550100",
            "channel": "WHATSAPP",
            "templateName": "order_update",
            "templateLanguage": "en_US",
            "templateParameters": ["A-1042", "p" * 1024],
        },
        {**MINIMAL, "channel": "whatsapp", "templateParameters": None},
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
        {"destinationNumber": "+14155550100", "channel": "MMS"},  # neither text nor media
        {"destinationNumber": "+14155550100", "channel": "MMS", "mediaUrls": None},
        {**MINIMAL, "channel": ["MMS"]},
        {**MINIMAL, "mediaUrls": MEDIA},  # one URI, not an array of one
        {**MINIMAL, "mediaUrls": []},
        {**MINIMAL, "mediaUrls": [MEDIA, MEDIA]},
        {**MINIMAL, "mediaUrls": [5]},
        {**MINIMAL, "mediaUrls": [f"s3://{BUCKET}/" + "k" * 2048]},
        {**MINIMAL, "voiceId": 7},
        {**MINIMAL, "messageBodyTextType": False},
    ],
)
def test_malformed_bodies_are_refused(body):
    assert not valid(body)


# --- the model and the function's validation.py agree --------------------------------------
# Each field's values near its boundaries: valid ones, ones both sides must refuse, and
# ones only the function can judge (phone numbers, patterns, trimming, the deployment's
# settings), which the model leaves to it by design. A body whose odd values are all of
# the second kind must get the same verdict from both, and the function's refusal must
# name a field the model refuses too; and a body the function accepts must pass the
# model, whatever it holds (a refusal at the gateway loses the SMS).
_ABSENT = object()
_NOT_STRINGS = (5, True, ["x"], {"x": "y"})
_OPTIONAL = (_ABSENT, None)  # a JSON null means "not sent" (validation.py)


class Cases(NamedTuple):
    ok: tuple
    both: tuple = ()
    function: tuple = ()

    def draw(self, draw, odd: bool) -> tuple[object, bool]:
        """(value, function_only): an odd value if `odd` (and there is one), else a valid one."""
        values = [(v, False) for v in self.both] + [(v, True) for v in self.function]
        if not (odd and values):
            values = [(v, False) for v in self.ok]
        return draw(st.sampled_from(values))


FIELDS = {
    "destinationNumber": Cases(
        ok=("+14155550100", "+33612345678"),  # E.164: whatever defaultCountry says
        both=(_ABSENT, None, "", *_NOT_STRINGS),
        function=(" ", "12", "+1 415 555 0100 ext. 12", "(415) 555-0100"),  # national: US only
    ),
    "defaultCountry": Cases(
        ok=(*_OPTIONAL, "US", "fr"), both=_NOT_STRINGS, function=("", "XX", "USA")
    ),
    "originationIdentity": Cases(
        ok=(*_OPTIONAL, "pool-abc", "p" * 256), both=_NOT_STRINGS, function=("", "a b", "p" * 257)
    ),
    # A poolId may differ from originationIdentity (CONFLICTING_FIELDS): the function's rule.
    "poolId": Cases(ok=_OPTIONAL, both=_NOT_STRINGS, function=("pool-abc", "pool-xyz")),
    "messageType": Cases(
        ok=(*_OPTIONAL, "TRANSACTIONAL", "promotional"), both=_NOT_STRINGS, function=("", "BULK")
    ),
    "configurationSetName": Cases(
        ok=(*_OPTIONAL, "ajo-sms", "c" * 256),
        both=_NOT_STRINGS,
        function=("", "has space", "c" * 257),
    ),
    "idempotencyKey": Cases(
        ok=(*_OPTIONAL, "k", " ", "k" * 256), both=("", "k" * 257, *_NOT_STRINGS)
    ),
    "dryRun": Cases(ok=(*_OPTIONAL, True, False), both=("true", 1, 0, "")),
    "delivery": Cases(
        ok=(*_OPTIONAL, "direct", "DIRECT"),
        both=(5, True, ["queued"]),
        function=("", "later", "queued", " Queued "),  # queued: the context rules below
    ),
    "journeyVersion": Cases(ok=(_ABSENT, 3, {"nested": [None]})),  # unknown: ignored
}
_CONTEXT_KEYS = Cases(
    ok=("k", "journeyId", "k" * 99, "é"),  # + the entry's index: distinct, 2-100 chars
    function=("", "a b", "k" * 101, "trackingId"),  # trackingId: reserved when queued
)
_CONTEXT_VALUES = Cases(
    ok=("", "v", "   ", " v ", "v" * 800, " " * 800),  # empty ones are dropped
    both=("v" * 801, " " + "v" * 800, " " * 801, None, 1, {"v": "w"}),
    function=("bad\udc00",),
)


# The channel's fields and `message`, drawn together: which values are valid depends on
# the channel (and an MMS's message on its mediaUrls). Each Cases is per channel.
_CHANNELS = Cases(
    ok=(_ABSENT, None, "SMS", "sms", "MMS", " mms ", "VOICE", "Voice", "WHATSAPP", "whatsapp"),
    both=(5, True, ["MMS"]),
    function=("", "fax"),
)
# WhatsApp: a template (name, language, parameters) and no message, or a message alone.
_TEMPLATES = {
    "templateName": Cases(
        ok=("order_update", "x" * 512, " otp_1 "),
        both=(5, True, ["order_update"]),
        function=("", "Order-Update", "x" * 513),
    ),
    "templateLanguage": Cases(
        ok=("en", "en_US", " pt_BR "), both=(5, ["en"]), function=(_ABSENT, None, "", "en-US")
    ),
    "templateParameters": Cases(
        ok=(*_OPTIONAL, [], ["A-1042"], ["p" * 1024] * 100),
        both=("A-1042", [5], ["p" * 1025], ["p"] * 101, [""]),
        function=(["  "], ["a\ud800b"]),
    ),
}
# Other channels: any template field refused (INVALID_FIELD); the model cannot see the channel.
_NOT_TEMPLATES = {
    "templateName": Cases(ok=_OPTIONAL, both=(5,), function=("order_update",)),
    "templateLanguage": Cases(ok=_OPTIONAL, both=(5,), function=("en",)),
    "templateParameters": Cases(ok=_OPTIONAL, both=("x", [5]), function=(["x"],)),
}
# WhatsApp has no pool, configuration set, context or dry run (INVALID_FIELD), and sends from
# the deployment's phone number IDs only.
_WHATSAPP_FIELDS = {
    "originationIdentity": Cases(
        ok=(*_OPTIONAL, WHATSAPP_ID), both=_NOT_STRINGS, function=("", "pool-abc")
    ),
    "poolId": Cases(ok=_OPTIONAL, both=_NOT_STRINGS, function=(WHATSAPP_ID,)),
    "configurationSetName": Cases(ok=_OPTIONAL, both=_NOT_STRINGS, function=("ajo-sms",)),
    "dryRun": Cases(ok=(*_OPTIONAL, False), both=("true", 1, 0, ""), function=(True,)),
}
_MEDIA_URLS = {
    "MMS": Cases(
        ok=(_ABSENT, None, [MEDIA], [f"s3://{BUCKET}/a/b/c.JPEG"], [f"s3://{BUCKET}/x.vcf"]),
        both=(MEDIA, [], [MEDIA, MEDIA], [5], [""], [f"s3://{BUCKET}/" + "k" * 2040], ["x"] * 2),
        function=(
            ["s3://other-bucket/offer.png"],  # not the deployment's bucket
            ["https://example.com/offer.png"],
            [f"s3://{BUCKET}/offer.exe"],  # not an MMS media type
            [f"s3://{BUCKET}/offer"],
            [f"s3://{BUCKET}/a\nb.png"],
            [f"s3://{BUCKET}/"],
        ),
    ),
    # Other channels: any media refused (INVALID_FIELD); the model cannot see the channel.
    "other": Cases(ok=_OPTIONAL, both=(MEDIA, [], [5]), function=([MEDIA],)),
}
_VOICE_IDS = {
    "VOICE": Cases(
        ok=(*_OPTIONAL, "MATTHEW", "joanna", " Lea "), both=(5, True), function=("", "ROBOT")
    ),
    "other": Cases(ok=_OPTIONAL, both=(5,), function=("JOANNA",)),
}
_TEXT_TYPES = {
    "VOICE": Cases(ok=(*_OPTIONAL, "TEXT", "ssml"), both=(5, ["SSML"]), function=("", "HTML")),
    "other": Cases(ok=_OPTIONAL, both=(False,), function=("TEXT",)),
}
_MESSAGES = {
    "SMS": Cases(
        ok=("x", "x" * 1600, "  hi  ", "é" * 1600),
        both=(_ABSENT, None, "", *_NOT_STRINGS),
        function=("   ", "x" * 1601, "a\ud800b"),
    ),
    "MMS": Cases(  # with mediaUrls: absent and null are fine too (below)
        ok=("x", "x" * 1600, "é" * 1600),
        both=(_ABSENT, None, "", *_NOT_STRINGS),
        function=("   ", "x" * 1601),
    ),
    "TEXT": Cases(
        ok=("Your code is 1 2 3", "x" * 3000, "<speak>read as text</speak>"),
        both=(_ABSENT, None, "", *_NOT_STRINGS),
        function=("   ", "x" * 3001),
    ),
    "WHATSAPP": Cases(
        ok=("x", "x" * 4096, "  hi  ", "é" * 4096),
        both=(_ABSENT, None, "", *_NOT_STRINGS),
        function=("   ", "x" * 4097),
    ),
    # With a template: no message (CONFLICTING_FIELDS), which the model cannot see.
    "WHATSAPP_TEMPLATE": Cases(ok=_OPTIONAL, both=(5, True), function=("hi", " ")),
    "SSML": Cases(
        ok=(
            "<speak>Hi</speak>",
            ' <speak>a <break time="1s"/> b &amp; c</speak> ',
            "<speak>" + "x" * 5985 + "</speak>",
        ),
        both=(_ABSENT, None, "", *_NOT_STRINGS),
        function=(
            "plain text",
            "<speak>unclosed",
            "<p>x</p>",
            "<!DOCTYPE speak><speak/>",
            "<speak>" + "x" * 5987 + "</speak>",
        ),
    ),
}


def _channel_fields(draw, odd: set[str]) -> tuple[dict, bool]:
    """channel, mediaUrls, voiceId, messageBodyTextType and message, consistent unless odd."""
    raw, function_only = _CHANNELS.draw(draw, "channel" in odd)
    fields = {"channel": raw}
    channel = raw.strip().upper() if isinstance(raw, str) else "SMS"
    if raw is _ABSENT or raw is None or function_only or not isinstance(raw, str):
        channel = "SMS"  # an odd channel: the other fields as for SMS
    kind = channel if channel in ("MMS", "VOICE") else "other"
    for name, cases in (
        ("mediaUrls", _MEDIA_URLS), ("voiceId", _VOICE_IDS), ("messageBodyTextType", _TEXT_TYPES)
    ):  # fmt: skip
        value, odd_value = cases.get(kind, cases["other"]).draw(draw, name in odd)
        fields[name] = value
        function_only |= odd_value
    template = channel == "WHATSAPP" and draw(st.booleans())
    for name in _TEMPLATES:
        cases = _TEMPLATES[name] if template else _NOT_TEMPLATES[name]
        value, odd_value = cases.draw(draw, name in odd)
        fields[name] = value
        function_only |= odd_value
    text_type = fields["messageBodyTextType"]
    text_type = text_type.upper() if isinstance(text_type, str) else "TEXT"
    message_kind = {
        "MMS": "MMS",
        "VOICE": text_type,
        "WHATSAPP": "WHATSAPP_TEMPLATE" if template else "WHATSAPP",
    }.get(channel, "SMS")
    cases = _MESSAGES.get(message_kind, _MESSAGES["TEXT"])
    if channel == "MMS" and isinstance(fields["mediaUrls"], list) and "message" not in odd:
        cases = cases._replace(ok=(*cases.ok, *_OPTIONAL))  # media without text
    value, odd_value = cases.draw(draw, "message" in odd)
    fields["message"] = value
    fields["whatsapp"] = channel == "WHATSAPP"
    return fields, function_only | odd_value


def _context(draw, odd: bool) -> tuple[object, bool]:
    shape = draw(st.sampled_from(["not an object", "too many", "odd entry"] if odd else
                                 ["absent", "null", "object", "object"]))  # fmt: skip
    if shape in ("absent", "null", "not an object"):
        other = draw(st.sampled_from(["journey-1", ["journeyId"], 5, True]))
        return {"absent": _ABSENT, "null": None, "not an object": other}[shape], False
    size = draw(st.sampled_from([6, 7] if shape == "too many" else [0, 1, 2, 4, 5]))
    odd_entry = draw(st.integers(0, size - 1)) if shape == "odd entry" and size else -1
    context, function_only = {}, False
    for index in range(size):
        key, odd_key = _CONTEXT_KEYS.draw(draw, index == odd_entry and draw(st.booleans()))
        value, odd_value = _CONTEXT_VALUES.draw(draw, index == odd_entry and not odd_key)
        context[key if odd_key else f"{key}{index}"] = value
        function_only |= odd_key or odd_value
    return context, function_only


@st.composite
def request_bodies(draw):
    """A body with at most two odd fields, so each disagreement shows on its own."""
    if draw(st.integers(0, 19)) == 0:  # now and then not an object at all
        return draw(st.sampled_from([[], "text", None, 5, [MINIMAL]])), False
    bundle = ["channel", "mediaUrls", "voiceId", "messageBodyTextType", *_TEMPLATES, "message"]
    names = [*FIELDS, "context", *bundle]
    odd = draw(st.sets(st.sampled_from(names), max_size=2))
    body, function_only = {}, False
    channel_fields, function_only = _channel_fields(draw, odd)
    whatsapp = channel_fields["whatsapp"]
    for name in names:
        if name == "context" and whatsapp:
            # Any context is refused for WhatsApp; the model cannot see the channel.
            value = draw(st.sampled_from([_ABSENT, None, {"k": "v"}] if name in odd else _OPTIONAL))
            odd_value = value not in _OPTIONAL
        elif name == "context":
            value, odd_value = _context(draw, name in odd)
        elif name in bundle:
            value, odd_value = channel_fields[name], False
        elif whatsapp and name in _WHATSAPP_FIELDS:
            value, odd_value = _WHATSAPP_FIELDS[name].draw(draw, name in odd)
        else:
            value, odd_value = FIELDS[name].draw(draw, name in odd)
        if value is not _ABSENT:
            body[name] = value
        function_only |= odd_value
    return body, function_only


# A deployment with queues, so `delivery: queued` is valid and its rules are exercised,
# and with every channel (a default identity: MMS and VOICE need one).
SETTINGS = Settings(
    queue_urls={"TRANSACTIONAL": "q-t", "PROMOTIONAL": "q-p"},
    channels=frozenset({"SMS", "MMS", "VOICE", "WHATSAPP"}),
    media_bucket=BUCKET,
    default_origination_identity="pool-default",
    whatsapp_phone_number_ids=(WHATSAPP_ID,),
)


def function_verdict(body) -> tuple[bool, str | None]:
    try:
        validate(parse_body({"body": json.dumps(body)}), SETTINGS)
    except ApiError as err:
        assert err.status == 400
        return False, err.field
    return True, None


def model_refused_fields(body) -> set[str]:
    fields = set()
    for error in VALIDATOR.iter_errors(body):
        if error.path:
            fields.add(error.path[0])
        elif error.validator == "required":
            fields.update(name for name in SCHEMA["required"] if name not in body)
        elif error.validator == "anyOf":  # neither a text message, media nor a template
            fields.update(("message", "mediaUrls", "templateName"))
    return fields


# issue 11: six entries, one of them empty; an 801-character value that trims to 800.
SIX_WITH_ONE_EMPTY = {**MINIMAL, "context": {"e": "", **{f"k{i}": "v" for i in range(5)}}}
PADDED_VALUE = {**MINIMAL, "context": {"k": " " + "v" * 800}}


@settings(max_examples=500, deadline=None)
@example(case=(SIX_WITH_ONE_EMPTY, False))
@example(case=(PADDED_VALUE, False))
@given(case=request_bodies())
def test_the_model_and_the_function_accept_and_refuse_the_same_bodies(case):
    body, function_only = case
    model_ok = valid(body)
    function_ok, field = function_verdict(body)
    event(f"model {'ok' if model_ok else 'refuses'}, function {'ok' if function_ok else 'refuses'}")
    assert model_ok or not function_ok, (
        f"the gateway refuses a body the function accepts: {body!r:.400}"
    )
    if not function_only:
        assert model_ok == function_ok, f"the function refuses a body the model accepts: {field}"
        if isinstance(body, dict) and not function_ok:
            assert field in model_refused_fields(body)
