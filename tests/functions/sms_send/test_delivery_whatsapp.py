"""Queued WhatsApp messages: the same accept and one-send-per-trackingId dispatch as SMS,
through SendWhatsAppMessage, paced by their own bucket at WHATSAPP_MPS per phone number ID.

SQS, DynamoDB and Firehose are moto; End User Messaging Social is the loopback (REST-JSON,
the input checked against botocore's model).
"""

from __future__ import annotations

import json
import time

import pytest
from ajo_sms_send import dispatch
from ajo_sms_send.delivery import MalformedMessage, parse
from harness.loopback_sms import accept_then_reset, social_error

from .delivery_helpers import invoke, take
from .sms_send_helpers import (
    US_NUMBER,
    WHATSAPP_ID,
    WHATSAPP_OTHER_ID,
    call,
    request,
    whatsapp,
    whatsapp_env,
)


@pytest.fixture(autouse=True)
def no_delays(monkeypatch):
    monkeypatch.setattr(dispatch, "BACKOFF_BASE", 0.0)
    monkeypatch.setattr(dispatch, "THROTTLE_DELAY", 0.0)


def sender(delivery, sms_api):
    return delivery.send_handler(**whatsapp_env(sms_api))


def dispatcher(delivery, sms_api, **env):
    module = delivery.dispatcher(**{**whatsapp_env(sms_api), "WHATSAPP_MPS": "10", **env})
    module._DISPATCHER._jitter = lambda: 0.0
    return module


def accept(delivery, sms_api, body) -> str:
    answer = call(sender(delivery, sms_api), body)
    assert answer.status == 202, answer
    return answer.body["trackingId"]


def queued(delivery):
    return [json.loads(m["Body"]) for m in delivery.receive(delivery.queue_urls["TRANSACTIONAL"])]


def tokens(delivery, bucket):
    item = delivery.dynamodb.get_item(
        TableName=delivery.table, Key={"id": {"S": f"pace#{bucket}"}}, ConsistentRead=True
    ).get("Item")
    return None if item is None else float(item["tokens"]["N"])


def test_a_queued_template_is_answered_202_and_enqueued_as_version_2(delivery, sms_api):
    answer = call(sender(delivery, sms_api), whatsapp())
    assert answer.body | {"trackingId": "-"} == {
        "status": "QUEUED", "trackingId": "-", "destinationNumber": US_NUMBER,
        "channel": "WHATSAPP", "idempotentReplay": False,
    }  # fmt: skip
    [body] = queued(delivery)
    assert (body["v"], body["channel"], body["message"]) == (2, "WHATSAPP", None)
    assert body["template"] == {
        "name": "order_update",
        "language": "en_US",
        "parameters": ["A-1042"],
    }
    assert body["originationIdentity"] == WHATSAPP_ID and body["configurationSetName"] is None
    assert sms_api.sends() == []


def test_dispatched_through_send_whatsapp_message(delivery, sms_api, capsys):
    tracking = accept(delivery, sms_api, whatsapp(templateParameters=["Ana 918273"]))
    assert invoke(delivery, dispatcher(delivery, sms_api), *take(delivery)) == {
        "batchItemFailures": []
    }
    [sent] = sms_api.accepted
    assert sent.operation == "SendWhatsAppMessage"
    assert sent.body["originationPhoneNumberId"] == WHATSAPP_ID
    assert sent.whatsapp["template"]["components"][0]["parameters"] == [
        {"type": "text", "text": "Ana 918273"}
    ]
    record = delivery.record(tracking)
    assert record["status"] == "SENT" and record["messageId"]
    [event] = delivery.events()
    assert (event["eventType"], event["channel"], event["messageId"]) == (
        "QUEUED_MESSAGE_SENT",
        "WHATSAPP",
        record["messageId"],
    )
    logs = capsys.readouterr().out
    assert US_NUMBER not in logs and "918273" not in logs


def test_free_form_text_is_queued_and_sent_as_text(delivery, sms_api):
    accept(delivery, sms_api, request(channel="WHATSAPP", message="Table ready"))
    invoke(delivery, dispatcher(delivery, sms_api), *take(delivery))
    [sent] = sms_api.accepted
    assert sent.whatsapp["text"] == {"preview_url": False, "body": "Table ready"}


def test_whatsapp_takes_from_its_own_bucket_at_whatsapp_mps(delivery, sms_api):
    """WHATSAPP_MPS 10: capacity 9 per phone number; the SMS bucket (MPS 20) is untouched."""
    accept(delivery, sms_api, whatsapp())
    accept(delivery, sms_api, whatsapp(originationIdentity=WHATSAPP_OTHER_ID))
    invoke(delivery, dispatcher(delivery, sms_api), *take(delivery))
    assert len(sms_api.accepted) == 2
    assert tokens(delivery, WHATSAPP_ID) == pytest.approx(8, abs=0.1)
    assert tokens(delivery, WHATSAPP_OTHER_ID) == pytest.approx(8, abs=0.1)
    assert tokens(delivery, "default") is None


DISPATCH_ERRORS = [
    # (reply, record status, code, requeued attempts)
    (social_error("InvalidParametersException", "no such template", 400),
     "REJECTED", "UPSTREAM_REJECTED", []),
    (social_error("ValidationException", "bad", 400), "REJECTED", "UPSTREAM_REJECTED", []),
    (social_error("ThrottledRequestException", "Rate exceeded", 429), "PENDING", None, [1]),
    (social_error("InternalServiceException", "oops", 500), "PENDING", None, [2]),
    (social_error("AccessDeniedException", "denied", 403), "PENDING", None, [2]),
    # The deployment's own number not found: the operator's to fix, retried then the DLQ.
    (social_error("ResourceNotFoundException", "not found", 404), "PENDING", None, [2]),
    (social_error("DependencyException", "Meta failed", 502),
     "UNKNOWN", "SEND_OUTCOME_UNKNOWN", []),
    (accept_then_reset(), "UNKNOWN", "SEND_OUTCOME_UNKNOWN", []),
]  # fmt: skip


@pytest.mark.parametrize(("reply", "status", "code", "requeued"), DISPATCH_ERRORS)
def test_outcomes_map_as_for_sms(delivery, sms_api, reply, status, code, requeued):
    tracking = accept(delivery, sms_api, whatsapp())
    sms_api.enqueue(reply)
    assert invoke(delivery, dispatcher(delivery, sms_api), *take(delivery)) == {
        "batchItemFailures": []
    }
    record = delivery.record(tracking)
    assert (record["status"], record.get("code")) == (status, code)
    assert [b["attempt"] for b in queued(delivery)] == requeued
    assert {s.operation for s in sms_api.sends()} == {"SendWhatsAppMessage"}


def test_a_chosen_number_not_found_is_rejected(delivery, sms_api):
    tracking = accept(delivery, sms_api, whatsapp(originationIdentity=WHATSAPP_OTHER_ID))
    sms_api.enqueue(social_error("ResourceNotFoundException", "not found", 404))
    invoke(delivery, dispatcher(delivery, sms_api), *take(delivery))
    record = delivery.record(tracking)
    assert (record["status"], record["code"]) == ("REJECTED", "UPSTREAM_REJECTED")


def test_whatsapp_turned_off_since_the_accept_is_rejected_unsent(delivery, sms_api):
    tracking = accept(delivery, sms_api, whatsapp())
    off = dispatcher(delivery, sms_api, CHANNELS="SMS")
    assert invoke(delivery, off, *take(delivery)) == {"batchItemFailures": []}
    assert sms_api.sends() == []
    record = delivery.record(tracking)
    assert (record["status"], record["code"]) == ("REJECTED", "CHANNEL_NOT_ENABLED")


def test_a_replay_sends_once(delivery, sms_api):
    body = whatsapp(idempotencyKey="q-whatsapp")
    first = call(sender(delivery, sms_api), body)
    again = call(sender(delivery, sms_api), body)
    assert again.body == {**first.body, "idempotentReplay": True}
    invoke(delivery, dispatcher(delivery, sms_api), *take(delivery))
    assert len(sms_api.accepted) == 1


def _body(**changes):
    body = {
        "v": 2, "trackingId": "0" * 32, "destination": US_NUMBER, "message": None,
        "messageType": "TRANSACTIONAL", "originationIdentity": WHATSAPP_ID,
        "configurationSetName": None, "context": None, "segments": 1, "encoding": None,
        "acceptedAt": time.time(), "deadline": time.time() + 600, "attempt": 1,
        "channel": "WHATSAPP",
        "template": {"name": "order_update", "language": "en_US", "parameters": []},
    }  # fmt: skip
    body.update(changes)
    return json.dumps({k: v for k, v in body.items() if v is not ...})


@pytest.mark.parametrize(
    "text",
    [
        _body(v=1),  # a dispatcher older than channels must not read it
        _body(message="hi"),  # both text and template
        _body(template=...),  # neither
        _body(template={"name": "x", "language": "en"}),
        _body(template={"name": "x", "language": "en", "parameters": [1]}),
        _body(template={"name": "", "language": "en", "parameters": []}),
        _body(template="order_update"),
    ],
)
def test_malformed_whatsapp_bodies_are_refused(text):
    with pytest.raises(MalformedMessage):
        parse(text)


def test_well_formed_whatsapp_bodies_parse():
    assert parse(_body()).template.name == "order_update"
    assert parse(_body(template=..., message="hi")).message == "hi"
