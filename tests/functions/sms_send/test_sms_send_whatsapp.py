"""WhatsApp (End User Messaging Social SendWhatsAppMessage), direct: what is sent, validation
as strict as SMS's, every error of the operation mapped, the same exactly-once guarantees.

The loopback answers `POST /v1/whatsapp/send` in REST-JSON and checks its input against
botocore's socialmessaging model, as the service does; the function must never trip it.
"""

from __future__ import annotations

import json

import botocore.session
import pytest
from harness.loopback_sms import Reply, accept_then_reset, hang, social_error, social_ok

from .sms_send_helpers import (
    OMIT,
    US_NUMBER,
    WHATSAPP_ID,
    WHATSAPP_OTHER_ID,
    call,
    load_handler,
    request,
    whatsapp,
    whatsapp_env,
)

MODEL = botocore.session.get_session().get_service_model("socialmessaging")
PARAMETER = "Ana's order A-1042"


@pytest.fixture
def social(v2_env, sms_api):
    return load_handler({**v2_env, **whatsapp_env(sms_api)})


def only_send(sms_api):
    (sent,) = sms_api.sends("social")
    assert sent.operation == "SendWhatsAppMessage"
    return sent


# --- what is sent ----------------------------------------------------------------------


def test_a_template_goes_through_send_whatsapp_message(social, sms_api):
    sms_api.enqueue(social_ok("wamid-0001"))
    answer = call(social, whatsapp(templateParameters=[PARAMETER, "2 June"]))

    assert answer.status == 200
    assert answer.body == {
        "status": "SENT",
        "messageId": "wamid-0001",
        "destinationNumber": US_NUMBER,
        "channel": "WHATSAPP",
        "idempotentReplay": False,
    }
    sent = only_send(sms_api)
    assert set(sent.body) == {"originationPhoneNumberId", "message", "metaApiVersion"}
    assert sent.body["originationPhoneNumberId"] == WHATSAPP_ID
    assert sent.body["metaApiVersion"] == "v20.0"
    assert sent.whatsapp == {
        "messaging_product": "whatsapp",
        "to": US_NUMBER,
        "type": "template",
        "template": {
            "name": "order_update",
            "language": {"code": "en_US"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": PARAMETER},
                        {"type": "text", "text": "2 June"},
                    ],
                }
            ],
        },
    }
    assert sms_api.sends("v2") == []


def test_a_template_without_parameters_has_no_components(social, sms_api):
    assert call(social, whatsapp(templateParameters=OMIT, templateLanguage="pt_BR")).status == 200
    assert only_send(sms_api).whatsapp["template"] == {
        "name": "order_update",
        "language": {"code": "pt_BR"},
    }


def test_free_form_text_is_a_text_message(social, sms_api):
    body = request(channel="whatsapp", message="  Your table is ready  ")
    assert call(social, body).status == 200
    assert only_send(sms_api).whatsapp == {
        "messaging_product": "whatsapp",
        "to": US_NUMBER,
        "type": "text",
        "text": {"preview_url": False, "body": "Your table is ready"},
    }


def test_another_of_the_deployment_s_numbers_may_be_chosen(social, sms_api):
    assert call(social, whatsapp(originationIdentity=WHATSAPP_OTHER_ID)).status == 200
    assert only_send(sms_api).body["originationPhoneNumberId"] == WHATSAPP_OTHER_ID


def test_the_meta_api_version_is_the_deployment_s(v2_env, sms_api):
    handler = load_handler(
        {**v2_env, **whatsapp_env(sms_api), "WHATSAPP_META_API_VERSION": "v21.0"}
    )
    assert call(handler, whatsapp()).status == 200
    assert only_send(sms_api).body["metaApiVersion"] == "v21.0"


def test_sms_is_unchanged_by_whatsapp(social, sms_api):
    assert call(social, request()).status == 200
    (sent,) = sms_api.sends("v2")
    assert sent.operation == "SendTextMessage" and sms_api.sends("social") == []


def test_the_longest_text_and_the_most_parameters_pass(social, sms_api):
    assert call(social, request(channel="WHATSAPP", message="x" * 4096)).status == 200
    many = whatsapp(templateParameters=["p" * 1024] * 100)
    assert call(social, many).status == 200
    assert len(sms_api.sends("social")) == 2  # and the fake's model check passed both


# --- validation ------------------------------------------------------------------------

BAD = [
    # (body, code, field)
    (whatsapp(message="Hi"), "CONFLICTING_FIELDS", "message"),
    (whatsapp(templateName=OMIT, templateLanguage=OMIT, templateParameters=OMIT),
     "MISSING_FIELD", "message"),
    (whatsapp(templateName=OMIT), "MISSING_FIELD", "templateName"),
    (whatsapp(templateName=OMIT, templateLanguage=OMIT), "MISSING_FIELD", "templateName"),
    (whatsapp(templateName="Order-Update"), "INVALID_FIELD", "templateName"),
    (whatsapp(templateName="x" * 513), "INVALID_FIELD", "templateName"),
    (whatsapp(templateName=7), "INVALID_FIELD", "templateName"),
    (whatsapp(templateLanguage=OMIT), "MISSING_FIELD", "templateLanguage"),
    (whatsapp(templateLanguage="english"), "INVALID_FIELD", "templateLanguage"),
    (whatsapp(templateLanguage="en-US"), "INVALID_FIELD", "templateLanguage"),
    (whatsapp(templateParameters="A-1042"), "INVALID_FIELD", "templateParameters"),
    (whatsapp(templateParameters=[""]), "INVALID_FIELD", "templateParameters"),
    (whatsapp(templateParameters=["  "]), "INVALID_FIELD", "templateParameters"),
    (whatsapp(templateParameters=[7]), "INVALID_FIELD", "templateParameters"),
    (whatsapp(templateParameters=["p"] * 101), "INVALID_FIELD", "templateParameters"),
    (whatsapp(templateParameters=["p" * 1025]), "INVALID_FIELD", "templateParameters"),
    (whatsapp(templateParameters=["\ud800"]), "INVALID_FIELD", "templateParameters"),
    (request(channel="WHATSAPP", message="x" * 4097), "MESSAGE_TOO_LONG", "message"),
    (request(channel="WHATSAPP", message=" "), "INVALID_FIELD", "message"),
    (whatsapp(originationIdentity="phone-number-id-" + "1" * 32), "INVALID_FIELD",
     "originationIdentity"),
    (whatsapp(poolId=WHATSAPP_ID), "INVALID_FIELD", "poolId"),
    (whatsapp(configurationSetName="ajo-sms"), "INVALID_FIELD", "configurationSetName"),
    (whatsapp(context={"journeyId": "j-1"}), "INVALID_FIELD", "context"),
    (whatsapp(dryRun=True), "INVALID_FIELD", "dryRun"),
    (whatsapp(mediaUrls=["s3://ajo-media/a.png"]), "INVALID_FIELD", "mediaUrls"),
    (whatsapp(voiceId="JOANNA"), "INVALID_FIELD", "voiceId"),
    (request(templateName="order_update"), "INVALID_FIELD", "templateName"),
    (request(templateParameters=["x"]), "INVALID_FIELD", "templateParameters"),
    (whatsapp(destinationNumber="12"), "INVALID_PHONE_NUMBER", "destinationNumber"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "code", "field"), BAD)
def test_bad_whatsapp_fields_are_refused_before_any_send(social, sms_api, body, code, field):
    answer = call(social, body)
    assert (answer.status, answer.error["code"], answer.error["field"]) == (400, code, field)
    assert sms_api.sends() == []


def test_dry_run_false_is_accepted(social, sms_api):
    assert call(social, whatsapp(dryRun=False)).status == 200


@pytest.mark.parametrize("channels", ["SMS", "SMS,MMS,VOICE"])
def test_whatsapp_the_deployment_did_not_enable_is_refused(v2_env, sms_api, channels):
    handler = load_handler(
        {**v2_env, **whatsapp_env(sms_api), "CHANNELS": channels, "MEDIA_BUCKET": "ajo-media"}
    )
    answer = call(handler, whatsapp())
    assert (answer.status, answer.error["code"]) == (400, "CHANNEL_NOT_ENABLED")
    assert sms_api.sends() == []


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"WHATSAPP_PHONE_NUMBER_IDS": ""}, "WHATSAPP_PHONE_NUMBER_IDS"),
        ({"WHATSAPP_PHONE_NUMBER_IDS": "12345"}, "WHATSAPP_PHONE_NUMBER_IDS"),
        ({"WHATSAPP_META_API_VERSION": "20"}, "WHATSAPP_META_API_VERSION"),
    ],
)
def test_bad_whatsapp_settings_fail_the_cold_start(v2_env, sms_api, env, variable):
    with pytest.raises(ValueError, match=variable):
        load_handler({**v2_env, **whatsapp_env(sms_api), **env}, fresh=True)


# --- every error of the operation ------------------------------------------------------

UPSTREAM = [
    # (reply, status, code, field, body status)
    (social_error("ValidationException", "Invalid template", 400),
     400, "UPSTREAM_REJECTED", None, "REJECTED"),
    (social_error("InvalidParametersException", "Template does not exist", 400),
     400, "UPSTREAM_REJECTED", None, "REJECTED"),
    (social_error("AccessDeniedException", "not authorized", 403),
     502, "UPSTREAM_ERROR", None, "RETRY"),
    (social_error("ResourceNotFoundException", "Phone number not found", 404),
     502, "UPSTREAM_ERROR", None, "RETRY"),
    (social_error("ThrottledRequestException", "Rate exceeded", 429),
     429, "THROTTLED", None, "RETRY"),
    (social_error("InternalServiceException", "internal", 500),
     502, "UPSTREAM_ERROR", None, "RETRY"),
    (social_error("DependencyException", "Meta failed", 502),
     502, "SEND_OUTCOME_UNKNOWN", None, "UNKNOWN"),
]  # fmt: skip


def test_the_cases_cover_every_error_of_the_operation():
    listed = {e.name for e in MODEL.operation_model("SendWhatsAppMessage").error_shapes}
    assert listed == {case[0].headers["x-amzn-ErrorType"] for case in UPSTREAM}


@pytest.mark.parametrize(("reply", "status", "code", "field", "outcome"), UPSTREAM)
def test_answers_map_to_the_contract(social, sms_api, reply, status, code, field, outcome):
    sms_api.rules[US_NUMBER] = reply
    answer = call(social, whatsapp())
    assert answer.status == status
    assert answer.body["status"] == outcome
    assert (answer.error["code"], answer.error["field"]) == (code, field)
    assert US_NUMBER not in answer.raw["body"]
    retried = status in (429,) or reply.status == 500  # retry-safe failures only
    assert len(sms_api.sends("social")) == (3 if retried else 1)


def test_a_chosen_number_not_found_is_the_callers_400(social, sms_api):
    sms_api.enqueue(social_error("ResourceNotFoundException", "Phone number not found", 404))
    answer = call(social, whatsapp(originationIdentity=WHATSAPP_OTHER_ID))
    assert (answer.status, answer.error["code"], answer.error["field"]) == (
        400,
        "UPSTREAM_REJECTED",
        "originationIdentity",
    )


def test_throttling_is_retried_in_the_function(social, sms_api):
    sms_api.enqueue(social_error("ThrottledRequestException", "Rate exceeded", 429))
    sms_api.enqueue(social_ok("after"))
    answer = call(social, whatsapp())
    assert (answer.status, answer.body["messageId"]) == (200, "after")
    assert len(sms_api.sends("social")) == 2


def test_the_fake_s_model_check_refuses_what_the_service_would(sms_api):
    """The loopback's own check, seen through a botocore client: a ValidationException."""
    client = botocore.session.get_session().create_client(
        "socialmessaging", endpoint_url=sms_api.url, region_name="eu-west-1",
        aws_access_key_id="x", aws_secret_access_key="x",
    )  # fmt: skip
    with pytest.raises(client.exceptions.ValidationException):
        client.send_whatsapp_message(
            originationPhoneNumberId="12345", message=b"{}", metaApiVersion="v20.0"
        )
    assert sms_api.accepted_count == 0


# --- unknown outcomes and idempotency --------------------------------------------------


@pytest.fixture
def social_idempotent(v2_env, sms_api, moto_server, idempotency_table):
    return load_handler(
        {
            **v2_env,
            **whatsapp_env(sms_api),
            "AWS_ENDPOINT_URL_DYNAMODB": moto_server,
            "IDEMPOTENCY_TABLE": idempotency_table.name,
            "SMS_READ_TIMEOUT_SECONDS": "0.3",
        }
    )


@pytest.mark.parametrize(
    "lost",
    [accept_then_reset, lambda: hang(1.0), lambda: Reply(200, {}, kind="social")],
    ids=["reset", "timeout", "no-message-id"],
)
def test_a_lost_answer_is_an_unknown_outcome_and_never_resent(social_idempotent, sms_api, lost):
    sms_api.enqueue(lost())
    body = whatsapp(idempotencyKey="lost-whatsapp")
    for _ in range(2):
        answer = call(social_idempotent, body)
        assert (answer.status, answer.body["status"], answer.error["code"]) == (
            502,
            "UNKNOWN",
            "SEND_OUTCOME_UNKNOWN",
        )
    assert len(sms_api.sends()) == 1 and sms_api.accepted_count == 1


def test_an_idempotent_replay_sends_once(social_idempotent, sms_api):
    body = whatsapp(idempotencyKey="replay-whatsapp")
    first = call(social_idempotent, body)
    again = call(social_idempotent, body)
    assert first.status == again.status == 200
    assert again.body == {**first.body, "idempotentReplay": True}
    assert sms_api.accepted_count == 1


def test_a_key_reused_for_another_template_is_refused(social_idempotent, sms_api):
    assert call(social_idempotent, whatsapp(idempotencyKey="k-1")).status == 200
    other = call(social_idempotent, whatsapp(idempotencyKey="k-1", templateParameters=["B-7"]))
    assert (other.status, other.error["code"]) == (400, "IDEMPOTENCY_KEY_REUSED")
    assert sms_api.accepted_count == 1


# --- logs ------------------------------------------------------------------------------


def test_logs_hold_no_number_text_or_parameter(social, sms_api, capsys):
    capsys.readouterr()
    sms_api.enqueue(social_error("ValidationException", f"{US_NUMBER}: '{PARAMETER}' refused", 400))
    refused = call(social, whatsapp(templateParameters=[PARAMETER]))
    sent = call(social, request(channel="WHATSAPP", message=PARAMETER))
    out = capsys.readouterr().out
    for secret in (US_NUMBER, PARAMETER, "A-1042"):
        assert secret not in out and secret not in refused.raw["body"]
    assert PARAMETER not in sent.raw["body"]
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(line["channel"], line["destination"]) for line in lines] == [
        ("WHATSAPP", "+1415*****00")
    ] * 2
