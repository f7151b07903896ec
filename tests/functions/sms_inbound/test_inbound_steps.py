"""Each documented inbound message through a real SNS -> SQS subscription: what the
function does with it in self-managed mode and otherwise."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from harness.api_gateway import load_event
from harness.emf import check_emf
from sms_inbound.app import METRICS

from .conftest import OPT_OUT_LIST, OUR_NUMBER, REPLIES, SECRET_VALUE, SENDER, fixture_message

# fixture -> (KeywordCategory, Keyword, reply variable or None)
CASES = {
    "stop": ("OPT_OUT", "STOP", "OPT_OUT_REPLY"),
    "stop_punctuated": ("OPT_OUT", "STOP", "OPT_OUT_REPLY"),
    "emoji": ("OPT_OUT", "STOP", "OPT_OUT_REPLY"),
    "help": ("HELP", "HELP", "HELP_REPLY"),
    "start": ("OPT_IN", "START", "OPT_IN_REPLY"),
    "custom": ("CUSTOM", "JOIN", None),
    "text": ("NONE", "STOP", None),  # "stop sending me these ...": no false opt-out
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_fixture_is_classified_replied_forwarded_and_exported(pipeline, name):
    category, keyword, reply = CASES[name]
    inbound = json.loads(fixture_message(name))
    envelope = load_event(f"sns_inbound_{name}")
    pipeline.publish(envelope["Message"])

    before = time.time()
    assert pipeline.drain(pipeline.function()) == 1

    (posted,) = pipeline.webhook.received
    assert posted == {
        "InboundMessage": inbound["messageBody"],
        "ProfileNumber": SENDER,
        "RequestID": inbound["inboundMessageId"],
        "OriginTimestamp": posted["OriginTimestamp"],
        "InboundNumber": OUR_NUMBER,
        "Keyword": keyword,
        "KeywordCategory": category,
    }
    assert pipeline.webhook.requests[-1]["headers"]["x-ajo-webhook-secret"] == SECRET_VALUE
    replies = pipeline.replies()
    if reply:
        (sent,) = replies
        assert sent.body == {
            "DestinationPhoneNumber": SENDER,
            "OriginationIdentity": OUR_NUMBER,
            "MessageBody": REPLIES[reply],
            "MessageType": "TRANSACTIONAL",
            "ConfigurationSetName": "ajo-sms",
        }
        assert pipeline.sms_api.accepted_count == 1
    else:
        assert replies == []
    on_list = SENDER in pipeline.sms_api.opt_out_lists[OPT_OUT_LIST]
    assert on_list == (category == "OPT_OUT")

    (event,) = pipeline.exported()
    # The envelope's Timestamp (moto's: when SNS took it), in ms.
    assert abs(event["eventTimestamp"] / 1000 - before) < 5
    assert event == {
        "eventType": "TEXT_INBOUND",
        "eventVersion": "1.0",
        "eventTimestamp": event["eventTimestamp"],
        "originationPhoneNumber": OUR_NUMBER,
        "destinationPhoneNumber": SENDER,
        "messageId": inbound["inboundMessageId"],
        "messageKeyword": keyword,
        "keywordCategory": category,
        "messageBody": inbound["messageBody"],
    }
    shown = datetime.fromtimestamp(event["eventTimestamp"] / 1000, UTC)
    assert posted["OriginTimestamp"] == shown.isoformat(timespec="milliseconds")[:-6] + "Z"
    item = pipeline.item(inbound["inboundMessageId"])
    assert item["webhook"] == "FORWARDED" and item["export"] == "EXPORTED"
    assert item.get("reply") == ("SENT" if reply else None)
    assert item.get("optOutList") == ("DONE" if category in ("OPT_OUT", "OPT_IN") else None)
    ttl = int(item["expiresAt"]) - time.time()
    assert 6.9 * 86400 < ttl <= 7 * 86400


def test_not_self_managed_no_opt_out_list_call_and_no_reply(pipeline):
    pipeline.publish(fixture_message("stop"))
    pipeline.publish(fixture_message("help"))

    pipeline.drain(pipeline.function(SELF_MANAGED_OPT_OUTS="false", OPT_OUT_LIST_NAME=""))

    assert pipeline.sms_api.requests == []  # AWS answers STOP/HELP itself
    assert sorted(pipeline.webhook.received_values("KeywordCategory")) == ["HELP", "OPT_OUT"]
    assert len(pipeline.exported()) == 2


def test_start_takes_the_number_off_the_list_before_replying(pipeline):
    pipeline.sms_api.opt_out_lists[OPT_OUT_LIST].add(SENDER)
    pipeline.publish(fixture_message("start"))

    pipeline.drain(pipeline.function())

    assert SENDER not in pipeline.sms_api.opt_out_lists[OPT_OUT_LIST]
    (reply,) = pipeline.sms_api.accepted
    assert reply.body["MessageBody"] == REPLIES["OPT_IN_REPLY"]


def test_opted_out_number_is_refused_by_the_sms_api(pipeline):
    pipeline.publish(fixture_message("stop"))
    pipeline.drain(pipeline.function())

    with pytest.raises(pipeline.aws.sms.exceptions.ConflictException) as refused:
        pipeline.aws.sms.send_text_message(
            DestinationPhoneNumber=SENDER, OriginationIdentity=OUR_NUMBER, MessageBody="promo"
        )
    assert refused.value.response["Reason"] == "DESTINATION_PHONE_NUMBER_OPTED_OUT"
    assert pipeline.sms_api.accepted_count == 1  # the STOP confirmation only


@pytest.mark.parametrize("name", ["missing_fields", "malformed_json"])
def test_a_message_that_can_never_succeed_ends_in_the_dlq_untouched(make_pipeline, name, capsys):
    pipeline = make_pipeline(max_receive_count=2)
    pipeline.publish(fixture_message(name))

    pipeline.drain(pipeline.function())

    assert len(pipeline.dead_letters()) == 1  # kept, never dropped
    assert pipeline.sms_api.requests == [] and pipeline.webhook.requests == []
    assert pipeline.exported() == []
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {line["message"] for line in lines} == {
        "not an inbound SMS notification, left for the DLQ"
    }
    assert SENDER not in json.dumps(lines)


def test_a_body_not_from_sns_ends_in_the_dlq(make_pipeline):
    pipeline = make_pipeline(max_receive_count=1)
    pipeline.send_raw(fixture_message("stop"))  # AWS's JSON without the envelope
    pipeline.send_raw("not json")

    pipeline.drain(pipeline.function())

    assert len(pipeline.dead_letters()) == 2
    assert pipeline.webhook.requests == []


def test_one_json_line_per_message_masked_without_the_body(pipeline, capsys):
    pipeline.publish(fixture_message("text"))
    pipeline.drain(pipeline.function())

    (line,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert line["message"] == "inbound message processed"
    assert line["level"] == "INFO"
    assert line["keywordCategory"] == "NONE"
    assert line["originationNumber"] == "+1425*****82"
    assert sorted(line["done"]) == ["export", "webhook"]
    text = json.dumps(line)
    assert SENDER not in text and OUR_NUMBER not in text
    assert "sending me these" not in text and SECRET_VALUE not in text


@pytest.mark.parametrize(
    ("fixture", "code", "values"),
    [
        ("stop", "OPT_OUT", {"Inbound": 1, "OptOuts": 1}),
        ("start", "OPT_IN", {"Inbound": 1, "OptIns": 1}),
        ("help", "HELP", {"Inbound": 1, "HelpRequests": 1}),
        ("text", "NONE", {"Inbound": 1}),
    ],
)
def test_the_line_counts_the_message_once_as_emf(pipeline, capsys, fixture, code, values):
    message = fixture_message(fixture)
    pipeline.publish(message)
    pipeline.publish(message)  # SNS delivered it twice: counted once
    pipeline.drain(pipeline.function())

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [check_emf(line) for line in lines] == [[], []]
    first, duplicate = lines
    assert first["Code"] == duplicate["Code"] == code
    assert {name: first[name] for name in METRICS if first[name]} == values
    assert not any(duplicate[name] for name in METRICS)
