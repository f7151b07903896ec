"""MMS (SendMediaMessage) and voice (SendVoiceMessage), direct: what is sent, validation as
strict as SMS's, and every answer mapped exactly like SendTextMessage's.

The loopback answers both operations in AWS JSON 1.0 and checks their input against
botocore's model, as the service does; the function must never trip that check.
"""

from __future__ import annotations

import json

import botocore.session
import pytest
from botocore.config import Config
from harness.loopback_sms import accept_then_reset, hang, v2_error, v2_ok

from .sms_send_helpers import (
    API_KEY,
    CHANNEL_ENV,
    MEDIA,
    MEDIA_BUCKET,
    OMIT,
    POOL,
    US_NUMBER,
    call,
    load_handler,
    mms,
    request,
    voice,
)
from .test_sms_send_v2 import UPSTREAM

MODEL = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")
OPERATIONS = {"MMS": "SendMediaMessage", "VOICE": "SendVoiceMessage"}
BODIES = {"MMS": mms, "VOICE": voice}
SECRET = "Your secret code is 918273"


@pytest.fixture
def channels(v2_env):
    """SMS, MMS and VOICE on, a default pool, the configuration set ajo-sms."""
    return load_handler({**v2_env, **CHANNEL_ENV})


def only_send(sms_api, operation):
    (sent,) = sms_api.sends("v2")
    assert sent.operation == operation
    return sent.body


# --- what is sent ----------------------------------------------------------------------


def test_an_mms_goes_through_send_media_message_with_every_field(channels, sms_api):
    sms_api.enqueue(v2_ok("mms-0001"))
    answer = call(channels, mms(message="Spring sale: 20% off", context={"journeyId": "j-1"}))

    assert answer.status == 200
    assert answer.body == {
        "status": "SENT",
        "messageId": "mms-0001",
        "destinationNumber": US_NUMBER,
        "channel": "MMS",
        "segments": 1,
        "idempotentReplay": False,
    }
    assert only_send(sms_api, "SendMediaMessage") == {
        "DestinationPhoneNumber": US_NUMBER,
        "OriginationIdentity": POOL,
        "MessageBody": "Spring sale: 20% off",
        "MediaUrls": [MEDIA],
        "ConfigurationSetName": "ajo-sms",
        "Context": {"journeyId": "j-1"},
    }


def test_an_mms_may_carry_media_only_or_text_only(channels, sms_api):
    assert call(channels, mms(message=OMIT)).status == 200
    assert call(channels, mms(message=None)).status == 200
    assert call(channels, mms(mediaUrls=OMIT)).status == 200
    media_only, null_text, text_only = (s.body for s in sms_api.sends("v2"))
    assert "MessageBody" not in media_only and "MessageBody" not in null_text
    assert media_only["MediaUrls"] == [MEDIA]
    assert "MediaUrls" not in text_only and text_only["MessageBody"] == "Your code is 123456"


def test_an_mms_is_one_part_whatever_its_text(channels):
    answer = call(channels, mms(message="€" * 1600))  # as an SMS: 21 GSM-7 parts
    assert (answer.body["segments"], "encoding" in answer.body) == (1, False)


def test_a_voice_message_goes_through_send_voice_message(channels, sms_api):
    sms_api.enqueue(v2_ok("call-0001"))
    answer = call(
        channels, voice(message="Your code is 1 2 3 4", originationIdentity="+12065550100")
    )

    assert answer.status == 200
    assert answer.body == {  # a call has neither segments nor an encoding
        "status": "SENT",
        "messageId": "call-0001",
        "destinationNumber": US_NUMBER,
        "channel": "VOICE",
        "idempotentReplay": False,
    }
    assert only_send(sms_api, "SendVoiceMessage") == {
        "DestinationPhoneNumber": US_NUMBER,
        "OriginationIdentity": "+12065550100",
        "MessageBody": "Your code is 1 2 3 4",
        "MessageBodyTextType": "TEXT",
        "VoiceId": "MATTHEW",
        "ConfigurationSetName": "ajo-sms",
    }


def test_voice_options_are_case_insensitive_and_ssml_is_passed_as_is(channels, sms_api):
    ssml = '<speak>Your code is <say-as interpret-as="digits">1234</say-as>.</speak>'
    answer = call(channels, voice(message=ssml, voiceId=" joanna ", messageBodyTextType="ssml"))
    assert answer.status == 200
    sent = only_send(sms_api, "SendVoiceMessage")
    assert (sent["MessageBody"], sent["MessageBodyTextType"], sent["VoiceId"]) == (
        ssml,
        "SSML",
        "JOANNA",
    )


def test_the_deployment_s_default_voice_applies(v2_env, sms_api):
    handler = load_handler({**v2_env, **CHANNEL_ENV, "DEFAULT_VOICE_ID": "lea"})
    call(handler, voice())
    call(handler, voice(voiceId="Mathieu"))
    assert [s.body["VoiceId"] for s in sms_api.sends()] == ["LEA", "MATHIEU"]


@pytest.mark.parametrize("value", ["mms", " MMS ", "Mms"])
def test_the_channel_is_case_insensitive(channels, sms_api, value):
    assert call(channels, mms(channel=value)).status == 200
    only_send(sms_api, "SendMediaMessage")


@pytest.mark.parametrize("channel", ["MMS", "VOICE"])
def test_a_dry_run_passes_dry_run(channels, sms_api, channel):
    sms_api.enqueue(v2_ok("dry-1"))
    answer = call(channels, BODIES[channel](dryRun=True))
    assert (answer.status, answer.body["status"], answer.body["channel"]) == (
        200,
        "DRY_RUN",
        channel,
    )
    assert only_send(sms_api, OPERATIONS[channel])["DryRun"] is True
    assert sms_api.accepted_count == 0  # a dry run sends nothing


def test_sms_is_unchanged_by_the_channels(channels, sms_api):
    answer = call(channels, request(channel="sms"))
    assert answer.body["channel"] == "SMS" and answer.body["encoding"] == "GSM-7"
    sent = only_send(sms_api, "SendTextMessage")
    assert sent["MessageType"] == "TRANSACTIONAL" and "MediaUrls" not in sent


# --- validation ------------------------------------------------------------------------

LONG_KEY = f"s3://{MEDIA_BUCKET}/" + "k" * 2040 + ".png"
REFUSED = [
    # (body, code, field)
    (request(channel="FAX"), "INVALID_FIELD", "channel"),
    (request(channel=5), "INVALID_FIELD", "channel"),
    (request(channel=""), "INVALID_FIELD", "channel"),
    (mms(mediaUrls=MEDIA), "INVALID_MEDIA_URL", "mediaUrls"),
    (mms(mediaUrls=[]), "INVALID_MEDIA_URL", "mediaUrls"),
    (mms(mediaUrls=[MEDIA, MEDIA]), "INVALID_MEDIA_URL", "mediaUrls"),
    (mms(mediaUrls=[5]), "INVALID_MEDIA_URL", "mediaUrls"),
    (mms(mediaUrls=["s3://someone-else/offers/spring-sale.png"]), "INVALID_MEDIA_URL", "mediaUrls"),
    (mms(mediaUrls=["https://example.com/spring-sale.png"]), "INVALID_MEDIA_URL", "mediaUrls"),
    (mms(mediaUrls=[f"s3://{MEDIA_BUCKET}/setup.exe"]), "INVALID_MEDIA_URL", "mediaUrls"),
    (mms(mediaUrls=[f"s3://{MEDIA_BUCKET}/no-extension"]), "INVALID_MEDIA_URL", "mediaUrls"),
    (mms(mediaUrls=[f"s3://{MEDIA_BUCKET}/a\nb.png"]), "INVALID_MEDIA_URL", "mediaUrls"),
    (mms(mediaUrls=[f"s3://{MEDIA_BUCKET}/"]), "INVALID_MEDIA_URL", "mediaUrls"),
    (mms(mediaUrls=[LONG_KEY]), "INVALID_MEDIA_URL", "mediaUrls"),
    (mms(message=OMIT, mediaUrls=OMIT), "MISSING_FIELD", "message"),
    (mms(message=None, mediaUrls=None), "MISSING_FIELD", "message"),
    (mms(message="   "), "INVALID_FIELD", "message"),
    (mms(message="x" * 1601), "MESSAGE_TOO_LONG", "message"),
    (request(mediaUrls=[MEDIA]), "INVALID_FIELD", "mediaUrls"),  # media on an SMS
    (voice(mediaUrls=[MEDIA]), "INVALID_FIELD", "mediaUrls"),
    (mms(voiceId="JOANNA"), "INVALID_FIELD", "voiceId"),
    (request(messageBodyTextType="TEXT"), "INVALID_FIELD", "messageBodyTextType"),
    (voice(message=OMIT), "MISSING_FIELD", "message"),
    (voice(message="x" * 3001), "MESSAGE_TOO_LONG", "message"),
    (voice(message="<speak>" + "x" * 5987 + "</speak>", messageBodyTextType="SSML"),
     "MESSAGE_TOO_LONG", "message"),
    (voice(message="plain words", messageBodyTextType="SSML"), "INVALID_FIELD", "message"),
    (voice(message="<speak>unclosed", messageBodyTextType="SSML"), "INVALID_FIELD", "message"),
    (voice(message="<p>not speak</p>", messageBodyTextType="SSML"), "INVALID_FIELD", "message"),
    (voice(message='<!DOCTYPE speak [<!ENTITY a "aaaa">]><speak>&a;</speak>',
           messageBodyTextType="SSML"), "INVALID_FIELD", "message"),
    (voice(message="<speak>&undefined;</speak>", messageBodyTextType="SSML"),
     "INVALID_FIELD", "message"),
    (voice(voiceId="ROBOT"), "INVALID_FIELD", "voiceId"),
    (voice(voiceId=7), "INVALID_FIELD", "voiceId"),
    (voice(messageBodyTextType="HTML"), "INVALID_FIELD", "messageBodyTextType"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "code", "field"), REFUSED)
def test_bad_channel_fields_are_refused_before_any_send(channels, sms_api, body, code, field):
    answer = call(channels, body)
    assert (answer.status, answer.body["status"]) == (400, "REJECTED")
    assert (answer.error["code"], answer.error["field"]) == (code, field)
    assert sms_api.sends() == []


def test_the_longest_messages_pass(channels, sms_api):
    assert call(channels, mms(message="é" * 1600)).status == 200
    assert call(channels, voice(message="x" * 3000)).status == 200
    ssml = "<speak>" + "x" * 5985 + "</speak>"  # 6000 with the tags
    assert call(channels, voice(message=ssml, messageBodyTextType="SSML")).status == 200
    assert len(sms_api.sends()) == 3


@pytest.mark.parametrize(
    "extension", ["gif", "JPG", "jpeg", "png", "tiff", "3gp", "mp4", "mp3", "ogg", "pdf", "vcf"]
)
def test_every_documented_media_type_passes(channels, sms_api, extension):
    url = f"s3://{MEDIA_BUCKET}/folder/with spaces/file.{extension}"
    assert call(channels, mms(mediaUrls=[url])).status == 200
    assert only_send(sms_api, "SendMediaMessage")["MediaUrls"] == [url]


@pytest.mark.parametrize(
    ("env", "channel"),
    [
        ({}, "MMS"),  # CHANNELS unset: SMS only
        ({"CHANNELS": "SMS,MMS", "MEDIA_BUCKET": MEDIA_BUCKET}, "VOICE"),
        ({"CHANNELS": "voice"}, "MMS"),
    ],
)
def test_a_channel_the_deployment_did_not_enable_is_refused(v2_env, sms_api, env, channel):
    handler = load_handler({**v2_env, "DEFAULT_ORIGINATION_IDENTITY": POOL, **env})
    answer = call(handler, BODIES[channel]())
    assert (answer.status, answer.error["code"], answer.error["field"]) == (
        400,
        "CHANNEL_NOT_ENABLED",
        "channel",
    )
    assert sms_api.sends() == []


def test_v1_sends_sms_only(sms_api):
    handler = load_handler(
        {
            "SMS_API": "v1",
            "PINPOINT_APPLICATION_ID": "app0123456789",
            "AWS_ENDPOINT_URL_PINPOINT": sms_api.url,
            **CHANNEL_ENV,
            "DEFAULT_ORIGINATION_IDENTITY": "+12065550100",
        }
    )
    for body in (mms(), voice()):
        answer = call(handler, body)
        assert (answer.error["code"], answer.error["field"]) == ("CHANNEL_NOT_ENABLED", "channel")
    assert call(handler, request(channel="SMS")).status == 200
    assert [s.api for s in sms_api.sends()] == ["v1"]


@pytest.mark.parametrize("channel", ["MMS", "VOICE"])
def test_mms_and_voice_need_an_origination_identity(v2_env, sms_api, channel):
    handler = load_handler({**v2_env, **CHANNEL_ENV, "DEFAULT_ORIGINATION_IDENTITY": ""})
    answer = call(handler, BODIES[channel]())
    assert (answer.status, answer.error["code"], answer.error["field"]) == (
        400,
        "MISSING_FIELD",
        "originationIdentity",
    )
    assert call(handler, BODIES[channel](poolId="pool-abc")).status == 200
    assert only_send(sms_api, OPERATIONS[channel])["OriginationIdentity"] == "pool-abc"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"CHANNELS": "SMS,FAX"}, "CHANNELS"),
        ({"CHANNELS": "SMS,MMS"}, "MEDIA_BUCKET"),  # MMS without its bucket
        ({"CHANNELS": "MMS", "MEDIA_BUCKET": "Not_A_Bucket"}, "MEDIA_BUCKET"),
        ({"DEFAULT_VOICE_ID": "ROBOT"}, "DEFAULT_VOICE_ID"),
    ],
)
def test_bad_channel_settings_fail_the_cold_start(v2_env, env, variable):
    with pytest.raises(ValueError, match=variable):
        load_handler({**v2_env, **env}, fresh=True)


# --- every answer mapped like SendTextMessage's ----------------------------------------


@pytest.mark.parametrize("operation", sorted(OPERATIONS.values()))
def test_the_sms_cases_cover_every_error_of_the_operation(operation):
    listed = {e.name for e in MODEL.operation_model(operation).error_shapes}
    sms = {e.name for e in MODEL.operation_model("SendTextMessage").error_shapes}
    covered = {case[0].body["__type"].split("#")[1] for case in UPSTREAM}
    assert listed == sms and listed <= covered, listed - covered


@pytest.mark.parametrize("channel", ["MMS", "VOICE"])
@pytest.mark.parametrize(("reply", "status", "code", "field", "retry_after"), UPSTREAM)
def test_answers_map_as_for_sms(
    channels, sms_api, channel, reply, status, code, field, retry_after
):
    sms_api.rules[US_NUMBER] = reply
    answer = call(channels, BODIES[channel]())
    assert answer.status == status
    assert answer.body["status"] == ("REJECTED" if status in (400, 409) else "RETRY")
    assert (answer.error["code"], answer.error["field"]) == (code, field)
    assert answer.headers.get("Retry-After") == retry_after
    assert US_NUMBER not in answer.raw["body"]
    assert {s.operation for s in sms_api.sends()} == {OPERATIONS[channel]}


MEDIA_REFUSALS = [
    v2_error("ValidationException", "Unsupported media type", Reason="MEDIA_TYPE_NOT_SUPPORTED"),
    v2_error("ValidationException", "Bad attachment", Reason="ATTACHMENT_TYPE_NOT_SUPPORTED"),
    v2_error("ValidationException", "File too large", Reason="MAXIMUM_SIZE_EXCEEDED",
             Fields=[{"Name": "MediaUrls", "Message": "The media file exceeds 2 MB"}]),
    v2_error("ValidationException", f"Value '{MEDIA}' at 'mediaUrls' is not accessible",
             Reason="RESOURCE_NOT_ACCESSIBLE", Fields=[{"Name": "mediaUrls.1.member",
                                                        "Message": "no access"}]),
]  # fmt: skip


@pytest.mark.parametrize("reply", MEDIA_REFUSALS)
def test_a_refused_medium_is_a_400_on_media_urls(channels, sms_api, reply):
    sms_api.enqueue(reply)
    answer = call(channels, mms())
    assert (answer.status, answer.error["code"], answer.error["field"]) == (
        400,
        "INVALID_MEDIA_URL",
        "mediaUrls",
    )
    assert "2 MB" in answer.error["message"]
    assert MEDIA not in answer.raw["body"]  # quoted values are redacted
    assert len(sms_api.sends()) == 1  # a refusal is not retried


def test_an_origination_that_cannot_call_is_the_callers_400(channels, sms_api):
    sms_api.enqueue(
        v2_error(
            "ValidationException",
            "The origination identity is not voice capable",
            Reason="VOICE_CAPABILITY_NOT_AVAILABLE",
            Fields=[{"Name": "OriginationIdentity", "Message": "not voice capable"}],
        )
    )
    answer = call(channels, voice(originationIdentity="MyBrand"))
    assert (answer.status, answer.error["code"], answer.error["field"]) == (
        400,
        "UPSTREAM_REJECTED",
        "originationIdentity",
    )
    assert "VOICE_CAPABILITY_NOT_AVAILABLE" in answer.error["message"]


@pytest.mark.parametrize("channel", ["MMS", "VOICE"])
def test_an_opted_out_recipient_is_409(channels, sms_api, channel):
    sms_api.add_opt_out_list("default")
    sms_api.opt_out_lists["default"].add(US_NUMBER)
    answer = call(channels, BODIES[channel]())
    assert (answer.status, answer.error["code"], answer.error["field"]) == (
        409,
        "DESTINATION_OPTED_OUT",
        "destinationNumber",
    )
    assert sms_api.accepted_count == 0 and len(sms_api.sends()) == 1


@pytest.mark.parametrize("channel", ["MMS", "VOICE"])
def test_throttling_is_retried_in_the_function(channels, sms_api, channel):
    sms_api.enqueue(v2_error("ThrottlingException", "Rate exceeded"), v2_ok("after"))
    answer = call(channels, BODIES[channel]())
    assert (answer.status, answer.body["messageId"]) == (200, "after")
    assert [s.operation for s in sms_api.sends()] == [OPERATIONS[channel]] * 2


# --- unknown outcomes and idempotency --------------------------------------------------


@pytest.fixture
def channels_idempotent(v2_env, moto_server, idempotency_table):
    return load_handler(
        {
            **v2_env,
            **CHANNEL_ENV,
            "AWS_ENDPOINT_URL_DYNAMODB": moto_server,
            "IDEMPOTENCY_TABLE": idempotency_table.name,
            "SMS_READ_TIMEOUT_SECONDS": "0.3",
        }
    )


@pytest.mark.parametrize("channel", ["MMS", "VOICE"])
@pytest.mark.parametrize("lost", [accept_then_reset, lambda: hang(1.0)], ids=["reset", "timeout"])
def test_a_lost_answer_is_an_unknown_outcome_and_never_resent(
    channels_idempotent, sms_api, channel, lost
):
    sms_api.enqueue(lost())
    body = BODIES[channel](idempotencyKey=f"lost-{channel}")
    first = call(channels_idempotent, body)
    again = call(channels_idempotent, body)
    for answer in (first, again):
        assert (answer.status, answer.body["status"], answer.error["code"]) == (
            502,
            "UNKNOWN",
            "SEND_OUTCOME_UNKNOWN",
        )
    assert len(sms_api.sends()) == 1 and sms_api.accepted_count == 1


@pytest.mark.parametrize("channel", ["MMS", "VOICE"])
def test_an_idempotent_replay_answers_the_first_body(channels_idempotent, sms_api, channel):
    body = BODIES[channel](idempotencyKey=f"replay-{channel}")
    first = call(channels_idempotent, body)
    again = call(channels_idempotent, body)
    assert first.status == again.status == 200
    assert again.body == {**first.body, "idempotentReplay": True}
    assert len(sms_api.sends()) == 1


@pytest.mark.parametrize(
    ("first", "changed"),
    [
        (request(), mms()),  # same text and recipient, another channel
        (mms(), mms(mediaUrls=[f"s3://{MEDIA_BUCKET}/offers/other.png"])),
        (mms(), mms(message=OMIT)),
        (voice(), voice(voiceId="JOANNA")),
        (voice(), voice(channel="VOICE", messageBodyTextType="SSML",
                        message="<speak>Your code is 123456</speak>")),
        (voice(message="<speak>x</speak>"), voice(message="<speak>x</speak>",
                                                   messageBodyTextType="SSML")),
    ],
)  # fmt: skip
def test_a_key_reused_with_another_channel_or_medium_is_refused(
    channels_idempotent, sms_api, first, changed
):
    assert call(channels_idempotent, {**first, "idempotencyKey": "k"}).status == 200
    answer = call(channels_idempotent, {**changed, "idempotencyKey": "k"})
    assert (answer.status, answer.error["code"]) == (400, "IDEMPOTENCY_KEY_REUSED")
    assert len(sms_api.sends()) == 1


def test_the_default_voice_is_not_part_of_the_fingerprint(
    v2_env, sms_api, moto_server, idempotency_table
):
    """A redeploy that changes DEFAULT_VOICE_ID does not turn a retry into a reuse."""
    env = {
        **v2_env,
        **CHANNEL_ENV,
        "AWS_ENDPOINT_URL_DYNAMODB": moto_server,
        "IDEMPOTENCY_TABLE": idempotency_table.name,
    }
    before = call(load_handler(env), voice(idempotencyKey="redeploy"))
    after = call(
        load_handler({**env, "DEFAULT_VOICE_ID": "JOANNA"}), voice(idempotencyKey="redeploy")
    )
    assert after.body == {**before.body, "idempotentReplay": True}


# --- logs ------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["MMS", "VOICE"])
def test_logs_hold_no_number_text_or_medium(channels, sms_api, capsys, channel):
    capsys.readouterr()
    fields = {"message": SECRET}
    if channel == "VOICE":
        fields = {"message": f"<speak>{SECRET}</speak>", "messageBodyTextType": "SSML"}
    sms_api.enqueue(
        v2_error("ConflictException", f"{US_NUMBER} refused: '{SECRET}' at '{MEDIA}'", Reason="X")
    )
    refused = call(channels, BODIES[channel](**fields))
    sent = call(channels, BODIES[channel](**fields))
    assert (refused.status, sent.status) == (400, 200)
    out = capsys.readouterr().out
    for secret in ("4155550100", "918273", "spring-sale", API_KEY):
        assert secret not in out and secret not in refused.raw["body"]
    for secret in ("918273", "spring-sale"):  # the 200 echoes only the E.164 number sent
        assert secret not in sent.raw["body"]
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(line["channel"], line["destination"]) for line in lines] == [
        (channel, "+1415*****00")
    ] * 2


# --- the loopback refuses what the model refuses -----------------------------------------


def test_the_loopback_checks_mms_and_voice_input_against_the_model(sms_api):
    """The service's own validation, reached by a client that skips botocore's."""
    client = botocore.session.get_session().create_client(
        "pinpoint-sms-voice-v2",
        endpoint_url=sms_api.url,
        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}),
    )
    errors = client.exceptions
    to = {"DestinationPhoneNumber": US_NUMBER}
    base = {**to, "OriginationIdentity": POOL}
    cases = [
        (client.send_media_message, {**to, "MediaUrls": [MEDIA]},
         "MISSING_PARAMETER", "OriginationIdentity"),
        (client.send_media_message, base, "MISSING_PARAMETER", "MessageBody"),
        (client.send_media_message, {**base, "MediaUrls": ["https://example.com/a.png"]},
         "FIELD_VALIDATION_FAILED", "MediaUrls.1.member"),
        (client.send_voice_message, {**base, "MessageBody": "x" * 3001},
         "MAXIMUM_SIZE_EXCEEDED", "MessageBody"),
        (client.send_voice_message, {**base, "MessageBody": "hi", "VoiceId": "ROBOT"},
         "FIELD_VALIDATION_FAILED", "VoiceId"),
    ]  # fmt: skip
    for send, params, reason, name in cases:
        with pytest.raises(errors.ValidationException) as raised:
            send(**params)
        response = raised.value.response
        assert response["Reason"] == reason and response["Fields"][0]["Name"] == name
    assert sms_api.accepted_count == 0
    assert client.send_voice_message(
        DestinationPhoneNumber=US_NUMBER, OriginationIdentity=POOL, MessageBody="x" * 3001,
        MessageBodyTextType="SSML",
    )["MessageId"]  # fmt: skip
    assert [s.operation for s in sms_api.sends()][-1] == "SendVoiceMessage"
