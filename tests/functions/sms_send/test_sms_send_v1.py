"""Pinpoint v1 (SMS_API=v1): SendMessages over REST-JSON, per-address results mapped.

The loopback server answers `POST /v1/apps/{id}/messages` with a MessageResponse whose
Result is keyed by the address, as Pinpoint does; errors carry `x-amzn-ErrorType`.
"""

from __future__ import annotations

import pytest
from harness.loopback_sms import v1_error, v1_result

from .sms_send_helpers import US_NUMBER, call, load_handler, request


def test_a_send_posts_send_messages_and_answers_200(v1, sms_api):
    sms_api.enqueue(v1_result(message_id="v1-msg-1"))
    answer = call(
        v1,
        request(
            originationIdentity="+12065550100",
            messageType="PROMOTIONAL",
            context={"journeyId": "j-1"},
        ),
    )

    assert answer.status == 200
    assert answer.body == {
        "status": "SENT",
        "messageId": "v1-msg-1",
        "destinationNumber": US_NUMBER,
        "channel": "SMS",
        "segments": 1,
        "encoding": "GSM-7",
        "idempotentReplay": False,
    }
    (sent,) = sms_api.sends("v1")
    assert sent.path == "/v1/apps/app0123456789/messages"
    assert sent.body == {
        "Addresses": {US_NUMBER: {"ChannelType": "SMS"}},
        "MessageConfiguration": {
            "SMSMessage": {
                "Body": "Your code is 123456",
                "MessageType": "PROMOTIONAL",
                "OriginationNumber": "+12065550100",
            }
        },
        "Context": {"journeyId": "j-1"},
    }


def test_a_sender_id_goes_in_sender_id(v1, sms_api):
    call(v1, request(originationIdentity="MyBrand"))
    sms = sms_api.sends()[0].body["MessageConfiguration"]["SMSMessage"]
    assert sms["SenderId"] == "MyBrand"
    assert "OriginationNumber" not in sms


@pytest.mark.parametrize(
    "fields",
    [{"poolId": "pool-0123456789abcdef"}, {"originationIdentity": "arn:aws:sms-voice:x:1:pool/p"}],
)
def test_pools_need_v2(v1, sms_api, fields):
    answer = call(v1, request(**fields))

    assert answer.status == 400
    assert answer.error["code"] == "INVALID_FIELD"
    assert answer.error["field"] == "originationIdentity"
    assert sms_api.sends() == []


def test_dry_run_needs_v2(v1, sms_api):
    answer = call(v1, request(dryRun=True))

    assert answer.status == 400
    assert answer.error["field"] == "dryRun"
    assert sms_api.sends() == []


RESULTS = [
    # (delivery status, pinpoint status code, status, code, retry_after)
    ("OPT_OUT", 400, 409, "DESTINATION_OPTED_OUT", None),
    ("THROTTLED", 429, 429, "THROTTLED", "1"),
    ("PERMANENT_FAILURE", 400, 400, "UPSTREAM_REJECTED", None),
    ("DUPLICATE", 400, 400, "UPSTREAM_REJECTED", None),
    ("TEMPORARY_FAILURE", 500, 502, "UPSTREAM_ERROR", None),
    ("UNKNOWN_FAILURE", 500, 502, "UPSTREAM_ERROR", None),
]


@pytest.mark.parametrize(("delivery", "pinpoint_code", "status", "code", "retry_after"), RESULTS)
def test_per_address_results_map_like_v2(
    v1, sms_api, delivery, pinpoint_code, status, code, retry_after
):
    sms_api.rules[US_NUMBER] = v1_result(
        delivery, pinpoint_code, status_message=f"Failed for {US_NUMBER}"
    )
    answer = call(v1, request())

    assert answer.status == status
    assert answer.error["code"] == code
    assert answer.headers.get("Retry-After") == retry_after
    assert US_NUMBER not in answer.raw["body"]


@pytest.mark.parametrize(
    ("delivery", "attempts"), [("TEMPORARY_FAILURE", 3), ("UNKNOWN_FAILURE", 1)]
)
def test_only_temporary_failures_are_retried(v1, sms_api, delivery, attempts):
    sms_api.rules[US_NUMBER] = v1_result(delivery, 500)
    call(v1, request())
    assert len(sms_api.sends()) == attempts


def test_a_throttled_result_is_retried_then_succeeds(v1, sms_api):
    sms_api.enqueue(v1_result("THROTTLED", 429), v1_result(message_id="v1-after"))
    answer = call(v1, request())
    assert (answer.status, answer.body["messageId"]) == (200, "v1-after")


ERRORS = [
    (v1_error("BadRequestException", "Invalid request", 400), 400, "UPSTREAM_REJECTED"),
    (v1_error("PayloadTooLargeException", "Too large", 413), 400, "MESSAGE_TOO_LONG"),
    (v1_error("TooManyRequestsException", "Slow down", 429), 429, "THROTTLED"),
    (v1_error("NotFoundException", "Application not found", 404), 502, "UPSTREAM_ERROR"),
    (v1_error("ForbiddenException", "Forbidden", 403), 502, "UPSTREAM_ERROR"),
    (v1_error("InternalServerErrorException", "Oops", 500), 502, "UPSTREAM_ERROR"),
]


@pytest.mark.parametrize(("reply", "status", "code"), ERRORS)
def test_request_errors_map_to_the_contract(v1, sms_api, reply, status, code):
    sms_api.rules[US_NUMBER] = reply
    answer = call(v1, request())

    assert answer.status == status
    assert answer.error["code"] == code


def test_v1_ignores_configuration_sets(v1, sms_api):
    answer = call(v1, request(configurationSetName="other"))
    assert answer.status == 200
    assert "ConfigurationSetName" not in str(sms_api.sends()[0].body)


def test_v1_refuses_a_pool_as_deployment_default(sms_api):
    with pytest.raises(ValueError, match="DEFAULT_ORIGINATION_IDENTITY"):
        load_handler(
            {
                "SMS_API": "v1",
                "PINPOINT_APPLICATION_ID": "app1",
                "AWS_ENDPOINT_URL_PINPOINT": sms_api.url,
                "DEFAULT_ORIGINATION_IDENTITY": "pool-0123456789",
            },
            fresh=True,
        )
