"""Queued MMS and voice messages: the same accept, the same one-send-per-trackingId
dispatch, through the channel's own operation, one part each against the same MPS.

SQS, DynamoDB and Firehose are moto; the SMS API is the loopback (AWS JSON 1.0, the MMS and
voice input checked against botocore's model).
"""

from __future__ import annotations

import json
import time

import pytest
from ajo_sms_send import dispatch
from ajo_sms_send.delivery import MalformedMessage, parse
from harness.loopback_sms import accept_then_reset, v2_error

from .delivery_helpers import invoke, take
from .sms_send_helpers import CHANNEL_ENV, MEDIA, POOL, US_NUMBER, call, mms, request, voice

OPERATIONS = {"SMS": "SendTextMessage", "MMS": "SendMediaMessage", "VOICE": "SendVoiceMessage"}
BODIES = {"SMS": request, "MMS": mms, "VOICE": voice}
SECRET = "Your secret code is 918273"


@pytest.fixture(autouse=True)
def no_delays(monkeypatch):
    """Re-enqueued copies visible at once, so tests need not wait."""
    monkeypatch.setattr(dispatch, "BACKOFF_BASE", 0.0)
    monkeypatch.setattr(dispatch, "THROTTLE_DELAY", 0.0)


def sender(delivery, **env):
    return delivery.send_handler(**CHANNEL_ENV, **env)


def dispatcher(delivery, **env):
    module = delivery.dispatcher(**{**CHANNEL_ENV, **env})
    module._DISPATCHER._jitter = lambda: 0.0
    return module


def accept(delivery, body) -> str:
    answer = call(sender(delivery), body)
    assert answer.status == 202, answer
    return answer.body["trackingId"]


def queued(delivery, kind="TRANSACTIONAL"):
    return [json.loads(m["Body"]) for m in delivery.receive(delivery.queue_urls[kind])]


def test_a_queued_mms_is_answered_202_and_enqueued_as_version_2(delivery, sms_api):
    answer = call(sender(delivery), mms(message="Spring sale", context={"journeyId": "j-1"}))
    assert answer.status == 202
    assert answer.body | {"trackingId": "-"} == {
        "status": "QUEUED", "trackingId": "-", "destinationNumber": US_NUMBER,
        "channel": "MMS", "segments": 1, "idempotentReplay": False,
    }  # fmt: skip
    [body] = queued(delivery)
    assert body["v"] == 2 and body["channel"] == "MMS"
    assert body["mediaUrls"] == [MEDIA] and body["message"] == "Spring sale"
    assert (body["segments"], body["encoding"]) == (1, None)
    assert body["originationIdentity"] == POOL and "voiceId" not in body
    assert sms_api.sends() == []


def test_a_queued_voice_message_carries_its_voice_and_text_type(delivery):
    answer = call(sender(delivery), voice(voiceId="joanna", messageBodyTextType="ssml",
                                          message="<speak>Hello</speak>"))  # fmt: skip
    assert answer.status == 202
    assert set(answer.body) == {
        "status", "trackingId", "destinationNumber", "channel", "idempotentReplay"
    }  # fmt: skip
    [body] = queued(delivery)
    assert (body["v"], body["channel"], body["voiceId"], body["messageBodyTextType"]) == (
        2,
        "VOICE",
        "JOANNA",
        "SSML",
    )
    assert body["segments"] == 1 and "mediaUrls" not in body


def test_a_media_only_mms_is_queued_without_text(delivery, sms_api):
    tracking = accept(delivery, mms(message=None))
    [body] = queued(delivery)
    assert body["message"] is None and body["mediaUrls"] == [MEDIA]
    invoke(delivery, dispatcher(delivery), *take(delivery))
    [sent] = sms_api.accepted
    assert "MessageBody" not in sent.body and sent.body["MediaUrls"] == [MEDIA]
    assert delivery.record(tracking)["status"] == "SENT"


@pytest.mark.parametrize("channel", ["MMS", "VOICE"])
def test_dispatched_through_the_channel_s_operation(delivery, sms_api, capsys, channel):
    tracking = accept(delivery, BODIES[channel](message=SECRET, context={"journeyId": "j-1"}))
    result = invoke(delivery, dispatcher(delivery), *take(delivery))
    assert result == {"batchItemFailures": []}
    [sent] = sms_api.accepted
    assert sent.operation == OPERATIONS[channel]
    assert sent.body["Context"] == {"journeyId": "j-1", "trackingId": tracking}
    assert 14390 <= sent.body["TimeToLive"] <= 14400
    assert sent.body["OriginationIdentity"] == POOL and "MessageType" not in sent.body
    if channel == "VOICE":
        assert (sent.body["VoiceId"], sent.body["MessageBodyTextType"]) == ("MATTHEW", "TEXT")
    else:
        assert sent.body["MediaUrls"] == [MEDIA]
    record = delivery.record(tracking)
    assert record["status"] == "SENT" and record["messageId"]
    [event] = delivery.events()
    assert (event["eventType"], event["channel"], event["segments"]) == (
        "QUEUED_MESSAGE_SENT",
        channel,
        1,
    )
    logs = capsys.readouterr().out
    assert US_NUMBER not in logs and "918273" not in logs and "spring-sale" not in logs
    assert f'"channel":"{channel}"' in logs


@pytest.mark.parametrize("channel", ["SMS", "MMS", "VOICE"])
def test_an_mms_or_a_call_takes_one_part_from_the_bucket(delivery, channel):
    """MPS 20: capacity 19 parts. 1600 GSM-7 characters are 11 SMS parts, one MMS, one call."""
    accept(delivery, BODIES[channel](message="x" * 1600, originationIdentity=POOL))
    invoke(delivery, dispatcher(delivery), *take(delivery))
    item = delivery.dynamodb.get_item(
        TableName=delivery.table, Key={"id": {"S": f"pace#{POOL}"}}, ConsistentRead=True
    )["Item"]
    assert float(item["tokens"]["N"]) == pytest.approx(19 - (11 if channel == "SMS" else 1))


DISPATCH_ERRORS = [
    # (reply, record status, code, requeued attempts)
    (v2_error("ConflictException", "opted out", Reason="DESTINATION_PHONE_NUMBER_OPTED_OUT"),
     "REJECTED", "DESTINATION_OPTED_OUT", []),
    (v2_error("ServiceQuotaExceededException", "spend", 402,
              Reason="MONTHLY_SPEND_LIMIT_REACHED_FOR_MEDIA"), "REJECTED", "QUOTA_EXCEEDED", []),
    (v2_error("ValidationException", "bad", Reason="INVALID_PARAMETER",
              Fields=[{"Name": "DestinationPhoneNumber", "Message": "x"}]),
     "REJECTED", "INVALID_PHONE_NUMBER", []),
    (v2_error("ThrottlingException", "Rate exceeded"), "PENDING", None, [1]),
    (v2_error("InternalServerException", "oops", 500), "PENDING", None, [2]),
    (v2_error("AccessDeniedException", "denied", 403, Reason="ACCOUNT_DISABLED"),
     "PENDING", None, [2]),
    (accept_then_reset(), "UNKNOWN", "SEND_OUTCOME_UNKNOWN", []),
]  # fmt: skip


@pytest.mark.parametrize("channel", ["MMS", "VOICE"])
@pytest.mark.parametrize(("reply", "status", "code", "requeued"), DISPATCH_ERRORS)
def test_outcomes_map_as_for_sms(delivery, sms_api, channel, reply, status, code, requeued):
    tracking = accept(delivery, BODIES[channel]())
    sms_api.enqueue(reply)
    assert invoke(delivery, dispatcher(delivery), *take(delivery)) == {"batchItemFailures": []}
    record = delivery.record(tracking)
    assert (record["status"], record.get("code")) == (status, code)
    assert [b["attempt"] for b in queued(delivery)] == requeued
    assert {s.operation for s in sms_api.sends()} == {OPERATIONS[channel]}


def test_a_refused_medium_is_rejected_at_dispatch(delivery, sms_api):
    tracking = accept(delivery, mms())
    sms_api.enqueue(v2_error("ValidationException", "nope", Reason="MEDIA_TYPE_NOT_SUPPORTED"))
    invoke(delivery, dispatcher(delivery), *take(delivery))
    record = delivery.record(tracking)
    assert (record["status"], record["code"]) == ("REJECTED", "INVALID_MEDIA_URL")
    [event] = delivery.events()
    assert (event["eventType"], event["code"]) == ("QUEUED_MESSAGE_REJECTED", "INVALID_MEDIA_URL")


def test_a_channel_turned_off_since_the_accept_is_rejected_unsent(delivery, sms_api):
    tracking = accept(delivery, voice())
    off = dispatcher(delivery, CHANNELS="SMS", MEDIA_BUCKET="")
    assert invoke(delivery, off, *take(delivery)) == {"batchItemFailures": []}
    assert sms_api.sends() == []
    record = delivery.record(tracking)
    assert (record["status"], record["code"]) == ("REJECTED", "CHANNEL_NOT_ENABLED")


def test_a_body_queued_before_channels_existed_is_sent_as_an_sms(delivery, sms_api):
    accept(delivery, request(message="old layout"))
    [message] = take(delivery)
    body = json.loads(message["Body"])
    del body["channel"]  # what the previous version wrote
    message["Body"] = json.dumps(body)
    invoke(delivery, dispatcher(delivery), message)
    [sent] = sms_api.accepted
    assert sent.operation == "SendTextMessage" and sent.body["MessageBody"] == "old layout"


def _body(**changes):
    body = {
        "v": 2, "trackingId": "0" * 32, "destination": US_NUMBER, "message": "hi",
        "messageType": "TRANSACTIONAL", "originationIdentity": POOL,
        "configurationSetName": None, "context": None, "segments": 1, "encoding": None,
        "acceptedAt": time.time(), "deadline": time.time() + 600, "attempt": 1,
        "channel": "MMS", "mediaUrls": [MEDIA],
    }  # fmt: skip
    body.update(changes)
    return json.dumps({k: v for k, v in body.items() if v is not ...})


@pytest.mark.parametrize(
    "text",
    [
        _body(v=1),  # an MMS a dispatcher older than channels must not read
        _body(channel="SMS", encoding="GSM-7"),  # an SMS is version 1
        _body(channel="FAX"),
        _body(message=None, mediaUrls=...),  # neither text nor media
        _body(mediaUrls=[MEDIA, MEDIA]),
        _body(mediaUrls=MEDIA),
        _body(channel="VOICE", mediaUrls=..., voiceId="ROBOT"),
        _body(channel="VOICE", mediaUrls=..., messageBodyTextType="HTML"),
        _body(channel="VOICE", mediaUrls=..., message=None),
        _body(v=1, channel="SMS", encoding=None),
    ],
)
def test_malformed_channel_bodies_are_refused(text):
    with pytest.raises(MalformedMessage):
        parse(text)


def test_well_formed_channel_bodies_parse():
    assert parse(_body(message=None)).media_urls == (MEDIA,)
    call_ = parse(_body(channel="VOICE", mediaUrls=..., voiceId=None))
    assert (call_.voice_id, call_.message_body_text_type) == (None, "TEXT")
    assert parse(_body(v=1, channel=..., encoding="GSM-7", mediaUrls=...)).channel == "SMS"


def test_a_queued_voice_without_a_voice_gets_the_dispatcher_s_default(delivery, sms_api):
    accept(delivery, voice())
    [message] = take(delivery)
    body = json.loads(message["Body"])
    body["voiceId"] = None
    message["Body"] = json.dumps(body)
    invoke(delivery, dispatcher(delivery, DEFAULT_VOICE_ID="Kendra"), message)
    [sent] = sms_api.accepted
    assert sent.body["VoiceId"] == "KENDRA"


@pytest.mark.parametrize("channel", ["MMS", "VOICE"])
def test_a_replay_answers_the_same_tracking_id_then_the_message_id(delivery, sms_api, channel):
    body = BODIES[channel](idempotencyKey=f"q-{channel}")
    first = call(sender(delivery), body)
    again = call(sender(delivery), body)
    assert again.body == {**first.body, "idempotentReplay": True}
    invoke(delivery, dispatcher(delivery), *take(delivery))  # the two copies: one send
    assert len(sms_api.accepted) == 1
    sent = call(sender(delivery), body)
    assert sent.body["messageId"] == delivery.record(first.body["trackingId"])["messageId"]
    assert sent.body["channel"] == channel


def test_a_key_reused_for_another_channel_is_refused_when_queued(delivery):
    assert call(sender(delivery), request(idempotencyKey="q")).status == 202
    answer = call(sender(delivery), mms(idempotencyKey="q"))
    assert (answer.status, answer.error["code"]) == (400, "IDEMPOTENCY_KEY_REUSED")


def test_a_dry_run_is_direct_for_every_channel(delivery, sms_api):
    for channel in ("MMS", "VOICE"):
        answer = call(sender(delivery), BODIES[channel](dryRun=True))
        assert (answer.status, answer.body["status"]) == (200, "DRY_RUN")
    assert queued(delivery) == [] and len(sms_api.sends()) == 2


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"CHANNELS": "SMS,MMS", "MEDIA_BUCKET": ""}, "MEDIA_BUCKET"),
        ({"CHANNELS": "SMS,RCS"}, "CHANNELS"),
        ({"DEFAULT_VOICE_ID": "nobody"}, "DEFAULT_VOICE_ID"),
    ],
)
def test_bad_channel_settings_fail_the_dispatcher_s_cold_start(delivery, env, variable):
    with pytest.raises(ValueError, match=variable):
        dispatcher(delivery, **env)
