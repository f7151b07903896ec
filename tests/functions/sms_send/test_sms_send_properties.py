"""Property-based: whatever a caller sends, the handler answers a contract-shaped JSON 200
or 400 while the SMS API answers OK: never an exception, never a 5xx. And whatever reaches
the SMS API satisfies the API's own documented constraints (botocore's service model), for
SMS, MMS and voice messages alike.
"""

from __future__ import annotations

import base64
import json
import re

import botocore.session
from harness.loopback_sms import model_violations
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from .sms_send_helpers import CHANNEL_ENV, MEDIA, MEDIA_BUCKET, Context, api_event, load_handler

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
    "CHANNEL_NOT_ENABLED",
    "INVALID_MEDIA_URL",
}
SENT_KEYS = {"status", "channel", "messageId", "destinationNumber", "idempotentReplay"}
# The members only some channels have: segments and encoding mean nothing for a call.
CHANNEL_KEYS = {"SMS": {"segments", "encoding"}, "MMS": {"segments"}, "VOICE": set()}

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


media_urls = st.sampled_from(
    [
        [MEDIA],
        [f"s3://{MEDIA_BUCKET}/x/y.JPG"],
        [f"s3://{MEDIA_BUCKET}/a.exe"],
        ["s3://other/a.png"],
        [MEDIA, MEDIA],
        [],
        MEDIA,
    ]
) | st.lists(st.text(max_size=30).map(lambda key: f"s3://{MEDIA_BUCKET}/{key}"), max_size=2)
voices = st.sampled_from(["MATTHEW", "joanna", " Lea ", "ROBOT", ""]) | st.text(max_size=8)
ssml = st.text(max_size=60).map(lambda text: f"<speak>{text}</speak>") | st.sampled_from(
    ["<speak>a <break time='1s'/> b</speak>", "<speak>&amp;</speak>", "<speak>x", "plain"]
)
channel_fields = {
    "channel": field(st.sampled_from(["SMS", "mms", "MMS", " Voice ", "VOICE", "FAX", ""])),
    "mediaUrls": field(media_urls),
    "voiceId": field(voices),
    "messageBodyTextType": field(st.sampled_from(["TEXT", "ssml", "SSML", "HTML"])),
}
channel_shaped = st.fixed_dictionaries(
    {},
    optional={
        "destinationNumber": field(numbers),
        "message": field(st.text(min_size=0, max_size=200) | ssml),
        "originationIdentity": field(identities),
        "context": field(contexts),
        "dryRun": field(st.booleans()),
        **channel_fields,
    },
)
# Mostly valid MMS and voice messages.
channel_plausible = st.one_of(
    st.fixed_dictionaries(
        {"destinationNumber": st.just("+14155550100"), "channel": st.sampled_from(["MMS", "mms"])},
        optional={
            "message": st.text(min_size=1, max_size=1700),
            "mediaUrls": st.just([MEDIA]) | media_urls,
            "originationIdentity": identities,
            "context": st.dictionaries(st.text(max_size=12), st.text(max_size=40), max_size=6),
            "dryRun": st.booleans(),
        },
    ),
    st.fixed_dictionaries(
        {
            "destinationNumber": st.just("+14155550100"),
            "channel": st.sampled_from(["VOICE", "voice"]),
            "message": st.text(min_size=1, max_size=3100) | ssml,
        },
        optional={
            "voiceId": voices,
            "messageBodyTextType": st.sampled_from(["TEXT", "SSML", "ssml"]),
            "originationIdentity": identities,
            "dryRun": st.booleans(),
        },
    ),
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
    outcome = body.get("error", {}).get("code", body["status"])
    event(f"{answer['statusCode']} {outcome} {body.get('channel', '')}".rstrip())
    if answer["statusCode"] == 200:
        assert set(body) == SENT_KEYS | CHANNEL_KEYS[body["channel"]]
        assert body["status"] in ("SENT", "DRY_RUN")
    else:
        assert body["status"] == "REJECTED"
        assert set(body) == {"status", "error", "requestId"}
        assert set(body["error"]) == {"code", "message", "field"}
        assert body["error"]["code"] in ERROR_CODES
    for sent in sms_api.sends("v2"):
        request = sent.body
        assert model_violations(sent.operation, request) == [], request
        assert sent.status == 200  # the loopback's own checks of MMS and voice input passed
        if sent.operation != "SendTextMessage":
            continue
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


def _channels_handler(sms_api_server):
    return load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api_server.url,
            "CONFIGURATION_SET_NAME": "ajo-sms",
            **CHANNEL_ENV,
        }
    )


@PROPERTY_SETTINGS
@given(body=channel_shaped)
def test_channel_shaped_requests(sms_api_server, body):
    sms_api_server.reset()
    answer = _channels_handler(sms_api_server).handler(api_event(body), Context())
    check(answer, sms_api_server)


@PROPERTY_SETTINGS
@given(body=channel_plausible)
def test_plausible_mms_and_voice_requests(sms_api_server, body):
    sms_api_server.reset()
    answer = _channels_handler(sms_api_server).handler(api_event(body), Context())
    check(answer, sms_api_server)


@PROPERTY_SETTINGS
@given(body=channel_shaped)
def test_channels_off_refuse_and_send_nothing_but_sms(sms_api_server, body):
    """On a deployment without CHANNELS, only SMS ever reaches the SMS API."""
    sms_api_server.reset()
    answer = _handler(sms_api_server).handler(api_event(body), Context())
    assert {s.operation for s in sms_api_server.sends()} <= {"SendTextMessage"}
    check(answer, sms_api_server)
