"""API Gateway proxy events: plain and base64 bodies, and bodies that are not a request."""

from __future__ import annotations

import base64
import json

import pytest

from .sms_send_helpers import OMIT, Answer, Context, api_event, call, request


def test_a_base64_body_is_decoded(v2, sms_api):
    answer = call(v2, request(message="Grüße 👋"), base64_body=True)

    assert answer.status == 200
    assert sms_api.sends()[0].body["MessageBody"] == "Grüße 👋"


@pytest.mark.parametrize(
    ("body", "base64_body", "fragment"),
    [
        ("", False, "empty"),
        ("{", False, "not valid JSON"),
        ("[1, 2]", False, "JSON object"),
        ('"text"', False, "JSON object"),
        ("null", False, "JSON object"),
        ("%%% not base64 %%%", None, "base64"),
        (b"\xff\xfe\x00garbage", True, "request body"),
        ("[" * 100_000 + "]" * 100_000, False, "request body"),
        ("{" + '"a":1,' * 60_000 + '"b":2}', False, "too large"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_invalid_json(v2, sms_api, body, base64_body, fragment):
    if base64_body is None:  # claims base64 but is not
        event = api_event(body, raw=True)
        event["isBase64Encoded"] = True
    else:
        event = api_event(body, base64_body=base64_body, raw=True)
    answer = Answer(v2.handler(event, Context()))

    assert answer.status == 400
    assert answer.error["code"] == "INVALID_JSON"
    assert answer.error["field"] is None
    assert fragment in answer.error["message"]
    assert sms_api.sends() == []


@pytest.mark.parametrize(
    "event",
    [
        None,
        "a string",
        [],
        {},
        {"body": None},
        {"body": 42},
        {"body": {"destinationNumber": "+14155550100"}},
        {"body": base64.b64encode(b"{}").decode(), "isBase64Encoded": "yes"},
        {"body": "{}", "requestContext": 5},
        {"body": "{}", "requestContext": {"requestId": ["odd"]}},
    ],
)
def test_events_that_are_not_proxy_requests_are_400(v2, event):
    answer = Answer(v2.handler(event, None))
    assert answer.status == 400
    assert answer.error["code"] in ("INVALID_JSON", "MISSING_FIELD")


def test_a_base64_body_with_a_utf8_bom_is_accepted(v2):
    # Some HTTP clients prepend a BOM; json reads UTF-8 (with or without it) from bytes.
    event = api_event(b"\xef\xbb\xbf" + json.dumps(request()).encode(), base64_body=True, raw=True)
    assert Answer(v2.handler(event, Context())).status == 200


@pytest.mark.parametrize(
    ("request_context", "expected"),
    [
        (
            {"requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"},
            "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        ),
        ({"requestId": "test-invoke-request"}, "test-invoke-request"),
        (OMIT, None),  # a direct invocation: no API Gateway, no request ID
        (None, None),
        (5, None),
        ({}, None),
        ({"requestId": ""}, None),
        ({"requestId": ["odd"]}, None),
        ({"requestId": 42}, None),
        # Not an API Gateway ID: never echoed (it could carry anything).
        ({"requestId": "call +14155550100 now"}, None),
        ({"requestId": '"}'}, None),
        ({"requestId": "a" * 129}, None),
    ],
)
def test_every_error_body_carries_the_gateway_request_id_or_null(v2, request_context, expected):
    event = api_event(request(destinationNumber="not a number"))
    if request_context is OMIT:
        del event["requestContext"]
    else:
        event["requestContext"] = request_context
    answer = Answer(v2.handler(event, Context()))

    assert answer.status == 400
    assert "requestId" in answer.body
    assert answer.body["requestId"] == expected


def test_a_success_body_has_no_request_id(v2, sms_api):
    # 200/202 bodies identify the send by messageId / trackingId, and a replay repeats
    # the first answer's body: a per-request ID would make the copies differ.
    answer = call(v2, request())
    assert answer.status == 200 and "requestId" not in answer.body
