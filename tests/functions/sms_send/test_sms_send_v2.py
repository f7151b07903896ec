"""End User Messaging SMS v2 (SendTextMessage): what is sent, and every answer mapped.

The loopback server answers in AWS JSON 1.0 exactly as the service does (`__type`,
modeled members such as `Reason`, `x-amzn-ErrorType`), so these cases exercise botocore's
real parsing and the function's mapping of it to the contract's response table.
"""

from __future__ import annotations

import time

import pytest
from harness.loopback_sms import hang, v2_error, v2_ok

from .sms_send_helpers import US_NUMBER, Context, call, free_port, load_handler, request


def test_a_send_passes_every_field_and_answers_200(v2, sms_api):
    sms_api.enqueue(v2_ok("msg-0001"))
    answer = call(
        v2,
        request(
            message="Hello {name} ~ 10€",
            originationIdentity="arn:aws:sms-voice:eu-west-1:111122223333:pool/pool-abc",
            messageType="PROMOTIONAL",
            context={"journeyId": "j-1", "profileId": "p-2"},
        ),
    )

    assert answer.status == 200
    assert answer.headers == {"Content-Type": "application/json"}
    assert answer.body == {
        "status": "SENT",
        "messageId": "msg-0001",
        "destinationNumber": US_NUMBER,
        "channel": "SMS",
        "segments": 1,
        "encoding": "GSM-7",
        "idempotentReplay": False,
    }
    (sent,) = sms_api.sends("v2")
    assert sent.headers["X-Amz-Target"] == "PinpointSMSVoiceV2.SendTextMessage"
    assert sent.headers["Content-Type"] == "application/x-amz-json-1.0"
    assert sent.body == {
        "DestinationPhoneNumber": US_NUMBER,
        "MessageBody": "Hello {name} ~ 10€",
        "OriginationIdentity": "arn:aws:sms-voice:eu-west-1:111122223333:pool/pool-abc",
        "MessageType": "PROMOTIONAL",
        "ConfigurationSetName": "ajo-sms",
        "Context": {"journeyId": "j-1", "profileId": "p-2"},
    }


def test_the_configuration_set_is_always_passed_and_the_request_may_override_it(v2, sms_api):
    call(v2, request())
    call(v2, request(configurationSetName="other-set"))

    names = [r.body["ConfigurationSetName"] for r in sms_api.sends()]
    assert names == ["ajo-sms", "other-set"]


def test_deployment_defaults_apply_when_the_request_has_none(sms_api):
    handler = load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
            "CONFIGURATION_SET_NAME": "cs-default",
            "DEFAULT_ORIGINATION_IDENTITY": "pool-default",
            "DEFAULT_MESSAGE_TYPE": "PROMOTIONAL",
        }
    )
    call(handler, request())

    sent = sms_api.sends()[0].body
    assert sent["OriginationIdentity"] == "pool-default"
    assert sent["MessageType"] == "PROMOTIONAL"
    assert sent["ConfigurationSetName"] == "cs-default"


def test_without_a_configuration_set_none_is_sent(sms_api):
    handler = load_handler({"AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url})
    call(handler, request())
    assert "ConfigurationSetName" not in sms_api.sends()[0].body


def test_a_dry_run_passes_dry_run_and_answers_dry_run(v2, sms_api):
    sms_api.enqueue(v2_ok("dry-0001"))
    answer = call(v2, request(dryRun=True))

    assert answer.status == 200
    assert answer.body["status"] == "DRY_RUN"
    assert answer.body["messageId"] == "dry-0001"
    assert sms_api.sends()[0].body["DryRun"] is True


def test_segments_and_encoding_are_reported(v2):
    answer = call(v2, request(message="Ça coûte 5 € 🙂 " * 10))
    assert (answer.body["encoding"], answer.body["segments"]) == ("UCS-2", 3)


UPSTREAM = [
    # (reply, status, code, field, retry_after)
    (
        v2_error(
            "ConflictException",
            f"The destination phone number {US_NUMBER} is opted out",
            Reason="DESTINATION_PHONE_NUMBER_OPTED_OUT",
            ResourceType="opted-out-number",
            ResourceId=US_NUMBER,
        ),
        409,
        "DESTINATION_OPTED_OUT",
        "destinationNumber",
        None,
    ),
    (
        v2_error(
            "ConflictException",
            "Destination phone number not verified",
            Reason="DESTINATION_PHONE_NUMBER_NOT_VERIFIED",
        ),
        400,
        "UPSTREAM_REJECTED",
        None,
        None,
    ),
    (
        v2_error(
            "ValidationException",
            "Invalid destination",
            Reason="INVALID_PARAMETER",
            Fields=[{"Name": "DestinationPhoneNumber", "Message": "bad"}],
        ),
        400,
        "INVALID_PHONE_NUMBER",
        "destinationNumber",
        None,
    ),
    (
        v2_error(
            "ValidationException",
            "Too big",
            Reason="MAXIMUM_SIZE_EXCEEDED",
            Fields=[{"Name": "MessageBody", "Message": "too long"}],
        ),
        400,
        "MESSAGE_TOO_LONG",
        "message",
        None,
    ),
    (
        v2_error(
            "ValidationException",
            "Country blocked",
            Reason="DESTINATION_COUNTRY_BLOCKED",
        ),
        400,
        "UPSTREAM_REJECTED",
        None,
        None,
    ),
    (
        v2_error(
            "ValidationException",
            "Sender ID not registered",
            Reason="SENDER_ID_NOT_REGISTERED",
            Fields=[{"Name": "OriginationIdentity", "Message": "x"}],
        ),
        400,
        "UPSTREAM_REJECTED",
        "originationIdentity",
        None,
    ),
    (
        v2_error(
            "ServiceQuotaExceededException",
            "Spend limit",
            402,
            Reason="MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT",
        ),
        429,
        "THROTTLED",
        None,
        "60",
    ),
    (v2_error("ThrottlingException", "Rate exceeded"), 429, "THROTTLED", None, "1"),
    (v2_error("InternalServerException", "Oops", 500), 502, "UPSTREAM_ERROR", None, None),
    (v2_error("ServiceUnavailable", "Down", 503), 503, "UPSTREAM_UNAVAILABLE", None, "1"),
    (
        v2_error("AccessDeniedException", "Account disabled", Reason="ACCOUNT_DISABLED"),
        502,
        "UPSTREAM_ERROR",
        None,
        None,
    ),
    (
        v2_error("UnrecognizedClientException", "The security token is invalid"),
        502,
        "UPSTREAM_ERROR",
        None,
        None,
    ),
    (
        v2_error(
            "ResourceNotFoundException",
            "Configuration set not found",
            404,
            ResourceType="configuration-set",
            ResourceId="ajo-sms",
        ),
        502,  # the deployment's own configuration set: the operator must fix it
        "UPSTREAM_ERROR",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("reply", "status", "code", "field", "retry_after"), UPSTREAM)
def test_sms_api_answers_map_to_the_contract(v2, sms_api, reply, status, code, field, retry_after):
    sms_api.rules[US_NUMBER] = reply  # every attempt gets the same answer
    answer = call(v2, request())

    assert answer.status == status
    assert answer.body["status"] == ("REJECTED" if status in (400, 409) else "RETRY")
    assert answer.error["code"] == code
    assert answer.error["field"] == field
    assert answer.headers.get("Retry-After") == retry_after
    assert answer.body["requestId"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"  # the event's
    assert US_NUMBER not in answer.raw["body"]


def test_a_missing_resource_the_request_named_is_the_callers_400(v2, sms_api):
    sms_api.enqueue(
        v2_error(
            "ResourceNotFoundException",
            "Pool not found",
            404,
            ResourceType="pool",
            ResourceId="pool-nope",
        )
    )
    answer = call(v2, request(poolId="pool-nope"))

    assert answer.status == 400
    assert answer.error["code"] == "UPSTREAM_REJECTED"
    assert answer.error["field"] == "originationIdentity"


def test_upstream_messages_are_masked(v2, sms_api):
    sms_api.enqueue(v2_error("ConflictException", f"Number {US_NUMBER} blocked", Reason="X"))
    answer = call(v2, request())
    assert "+1415*****00" in answer.error["message"]
    assert US_NUMBER not in answer.raw["body"]


@pytest.mark.parametrize(
    "reply",
    [
        v2_error("ThrottlingException", "Rate exceeded"),
        v2_error("InternalServerException", "Oops", 500),
        v2_error("ServiceUnavailable", "Down", 503),
    ],
)
def test_retry_safe_failures_are_retried_then_succeed(v2, sms_api, reply):
    sms_api.enqueue(reply, reply, v2_ok("after-retries"))
    answer = call(v2, request())

    assert answer.status == 200
    assert answer.body["messageId"] == "after-retries"
    assert len(sms_api.sends()) == 3


def test_retries_stop_at_max_attempts(v2, sms_api):
    sms_api.rules[US_NUMBER] = v2_error("ThrottlingException", "Rate exceeded")
    answer = call(v2, request())

    assert answer.status == 429
    assert len(sms_api.sends()) == 3  # SMS_MAX_ATTEMPTS default


@pytest.mark.parametrize(
    "reply",
    [
        v2_error("ConflictException", "opted out", Reason="DESTINATION_PHONE_NUMBER_OPTED_OUT"),
        v2_error("ValidationException", "bad", Reason="INVALID_PARAMETER"),
        v2_error(
            "ServiceQuotaExceededException", "quota", 402, Reason="DAILY_DESTINATION_CALL_LIMIT"
        ),
        v2_error("AccessDeniedException", "denied"),
    ],
)
def test_rejections_are_not_retried(v2, sms_api, reply):
    sms_api.rules[US_NUMBER] = reply
    call(v2, request())
    assert len(sms_api.sends()) == 1


def test_the_time_budget_bounds_retries(sms_api):
    # With a 0.5 s budget, a retry whose worst case (1 s connect + 0.3 s read) would
    # overrun is not started: the error goes back to AJO at once.
    handler = load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
            "SMS_READ_TIMEOUT_SECONDS": "0.3",
            "SMS_TIME_BUDGET_SECONDS": "0.5",
        }
    )
    sms_api.rules[US_NUMBER] = v2_error("ThrottlingException", "Rate exceeded")
    assert call(handler, request()).status == 429
    assert len(sms_api.sends()) == 1


def test_the_lambda_deadline_bounds_retries(v2, sms_api):
    sms_api.rules[US_NUMBER] = v2_error("ThrottlingException", "Rate exceeded")
    answer = call(v2, request(), context=Context(remaining_ms=3000))  # < 1 s + 3 s + margin

    assert answer.status == 429
    assert len(sms_api.sends()) == 1


def test_a_read_timeout_is_an_unknown_outcome_and_not_retried(sms_api):
    # The SMS API may have taken the message: a blind retry could send it twice.
    handler = load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
            "SMS_READ_TIMEOUT_SECONDS": "0.2",
        }
    )
    sms_api.enqueue(hang(0.6))
    started = time.monotonic()
    answer = call(handler, request())

    assert answer.status == 502
    assert answer.error["code"] == "SEND_OUTCOME_UNKNOWN"  # UNKNOWN_OUTCOME's default
    assert len(sms_api.sends()) == 1
    assert time.monotonic() - started < 0.6


def test_an_unreachable_sms_api_is_503(sms_api):
    handler = load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": f"http://127.0.0.1:{free_port()}",
            "SMS_MAX_ATTEMPTS": "2",
        }
    )
    answer = call(handler, request())

    assert answer.status == 503
    assert answer.body["status"] == "RETRY"
    assert answer.error["code"] == "UPSTREAM_UNAVAILABLE"
    assert answer.headers["Retry-After"] == "1"
