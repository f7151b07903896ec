"""Property-based: whatever a caller sends, the handler answers a contract-shaped JSON 200
or 400 while the SMS API answers OK: never an exception, never a 5xx. And whatever reaches
the SMS API satisfies the API's own documented constraints (botocore's service model).
"""

from __future__ import annotations

import base64
import json
import re

import botocore.session
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from .sms_send_helpers import Context, api_event, load_handler

PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,  # a shared, busy machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
ERROR_CODES = {
    "INVALID_JSON",
    "MISSING_FIELD",
    "INVALID_FIELD",
    "INVALID_PHONE_NUMBER",
    "MESSAGE_TOO_LONG",
    "CONFLICTING_FIELDS",
    "IDEMPOTENCY_KEY_REUSED",
}
SENT_KEYS = {
    "status",
    "messageId",
    "destinationNumber",
    "segments",
    "encoding",
    "idempotentReplay",
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=12,
)
numbers = st.sampled_from(
    ["+14155550100", "(415) 555-0100", "06 12 34 56 78", "+33612345678", "+447700900123", "12"]
) | st.text(max_size=30)
countries = st.sampled_from(["US", "FR", "gb", "XX", ""]) | st.text(max_size=3)
identities = st.sampled_from(["pool-abc", "+12065550100", "MyBrand", "arn:aws:x:pool/p"]) | st.text(
    max_size=20
)
contexts = st.dictionaries(st.text(max_size=12), st.text(max_size=12) | json_values, max_size=7)


def field(strategy):
    return strategy | json_values


contract_shaped = st.fixed_dictionaries(
    {},
    optional={
        "destinationNumber": field(numbers),
        "message": field(st.text(min_size=0, max_size=200)),
        "defaultCountry": field(countries),
        "originationIdentity": field(identities),
        "poolId": field(identities),
        "messageType": field(st.sampled_from(["TRANSACTIONAL", "promotional", "BULK"])),
        "configurationSetName": field(st.sampled_from(["cs-1", "bad name"]) | st.text(max_size=8)),
        "context": field(contexts),
        "idempotencyKey": field(st.text(max_size=10)),
        "dryRun": field(st.booleans()),
    },
)


# Mostly valid requests, so the send path (not only validation) is explored too.
plausible = st.fixed_dictionaries(
    {
        "destinationNumber": st.sampled_from(["+14155550100", "(415) 555-0100", "+33612345678"]),
        "message": st.text(min_size=1, max_size=400),
    },
    optional={
        "defaultCountry": st.sampled_from(["US", "FR", "gb"]),
        "originationIdentity": identities,
        "poolId": identities,
        "messageType": st.sampled_from(["TRANSACTIONAL", "PROMOTIONAL"]),
        "configurationSetName": st.from_regex(r"[A-Za-z0-9_:/-]{1,20}", fullmatch=True),
        "context": st.dictionaries(st.text(max_size=12), st.text(max_size=40), max_size=6),
        "idempotencyKey": st.text(min_size=1, max_size=10),
        "dryRun": st.booleans(),
    },
)


def _shapes():
    model = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")
    return {
        name: model.shape_for(name).metadata
        for name in (
            "PhoneNumber",
            "TextMessageBody",
            "TextMessageOriginationIdentity",
            "ConfigurationSetNameOrArn",
            "ContextKey",
            "ContextValue",
        )
    }


SHAPES = _shapes()


def satisfies(shape: str, value: str) -> bool:
    meta = SHAPES[shape]
    return meta["min"] <= len(value) <= meta["max"] and bool(re.fullmatch(meta["pattern"], value))


def check(answer: dict, sms_api) -> None:
    assert answer["statusCode"] in (200, 400), answer
    assert answer["headers"]["Content-Type"] == "application/json"
    body = json.loads(answer["body"])
    event(f"{answer['statusCode']} {body.get('error', {}).get('code', body['status'])}")
    if answer["statusCode"] == 200:
        assert set(body) == SENT_KEYS
        assert body["status"] in ("SENT", "DRY_RUN")
    else:
        assert body["status"] == "REJECTED"
        assert set(body) == {"status", "error", "requestId"}
        assert set(body["error"]) == {"code", "message", "field"}
        assert body["error"]["code"] in ERROR_CODES
    for sent in sms_api.sends("v2"):
        request = sent.body
        assert satisfies("PhoneNumber", request["DestinationPhoneNumber"])
        assert satisfies("TextMessageBody", request["MessageBody"])
        if "OriginationIdentity" in request:
            assert satisfies("TextMessageOriginationIdentity", request["OriginationIdentity"])
        assert satisfies("ConfigurationSetNameOrArn", request["ConfigurationSetName"])
        context = request.get("Context") or {}
        assert len(context) <= 5
        for key, value in context.items():
            assert satisfies("ContextKey", key) and satisfies("ContextValue", value)
    sms_api.reset()


def _handler(sms_api_server):
    return load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api_server.url,
            "CONFIGURATION_SET_NAME": "ajo-sms",
        }
    )


@PROPERTY_SETTINGS
@given(body=contract_shaped)
def test_contract_shaped_requests(sms_api_server, body):
    sms_api_server.reset()
    answer = _handler(sms_api_server).handler(api_event(body), Context())
    check(answer, sms_api_server)


@PROPERTY_SETTINGS
@given(body=plausible)
def test_plausible_requests(sms_api_server, body):
    sms_api_server.reset()
    answer = _handler(sms_api_server).handler(api_event(body), Context())
    check(answer, sms_api_server)


@PROPERTY_SETTINGS
@given(body=json_values)
def test_any_json(sms_api_server, body):
    sms_api_server.reset()
    answer = _handler(sms_api_server).handler(api_event(body), Context())
    check(answer, sms_api_server)


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=300), as_base64=st.booleans())
def test_any_bytes(sms_api_server, data, as_base64):
    sms_api_server.reset()
    if as_base64:
        event = api_event(base64.b64encode(data).decode(), raw=True)
        event["isBase64Encoded"] = True
    else:
        event = api_event(data.decode("utf-8", "surrogateescape"), raw=True)
    answer = _handler(sms_api_server).handler(event, Context())
    check(answer, sms_api_server)


@PROPERTY_SETTINGS
@given(event=json_values)
def test_any_event(sms_api_server, event):
    sms_api_server.reset()
    answer = _handler(sms_api_server).handler(event, None)
    check(answer, sms_api_server)
