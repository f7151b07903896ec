"""Every step once per inboundMessageId: SNS duplicates, retries after a partial
failure, replies whose outcome is unknown, replies that surely failed."""

from __future__ import annotations

from harness.loopback_sms import accept_then_reset, hang, throttling, v2_error

from .conftest import OPT_OUT_LIST, REPLIES, SENDER, fixture_message, inbound_json

STOP_ID = "cae173d2-66b9-564c-8309-21f858e9fb00"  # tests/events/sns_inbound_stop.json
HELP_ID = "cae173d2-66b9-564c-8309-21f858e9fb02"  # tests/events/sns_inbound_help.json


def test_sns_duplicate_of_one_inbound_message_does_nothing_twice(pipeline):
    message = fixture_message("stop")
    pipeline.publish(message)
    pipeline.publish(message)  # SNS delivers at least once: same inboundMessageId

    process = pipeline.function()
    pipeline.drain(process)

    assert pipeline.sms_api.accepted_count == 1
    assert len(pipeline.sms_api.opt_out_calls("PutOptedOutNumber")) == 1
    assert len(pipeline.webhook.received) == 1
    assert len(pipeline.exported()) == 1


def test_reply_is_sent_once_across_retries(pipeline):
    pipeline.webhook.plan = [503, 503, 503]  # the first run fails on the webhook
    pipeline.publish(fixture_message("help"))

    process = pipeline.function()
    assert pipeline.deliver(process) == 1
    assert pipeline.sms_api.accepted_count == 1 and pipeline.webhook.received == []
    assert pipeline.item(HELP_ID)["reply"] == "SENT"

    pipeline.drain(process)  # SQS brings it back: only the webhook step is left

    assert pipeline.sms_api.accepted_count == 1
    assert len(pipeline.webhook.received) == 1
    assert len(pipeline.exported()) == 1


def test_unknown_reply_outcome_is_never_resent(pipeline):
    pipeline.sms_api.enqueue(accept_then_reset())  # taken, then the answer is lost
    pipeline.webhook.plan = [503, 503, 503]  # and the message comes back once
    pipeline.publish(fixture_message("help"))

    pipeline.drain(pipeline.function())

    assert pipeline.sms_api.accepted_count == 1
    assert len(pipeline.replies()) == 1  # one request: no retry by botocore, none by us
    assert pipeline.item(HELP_ID)["reply"] == "UNKNOWN"
    assert len(pipeline.webhook.received) == 1


def test_reply_read_timeout_is_unknown_and_not_resent(pipeline):
    pipeline.sms_api.enqueue(hang(11))  # beyond the client's 10 s read timeout
    pipeline.publish(fixture_message("help"))
    process = pipeline.function()

    pipeline.drain(process)

    assert len(pipeline.replies()) == 1
    assert pipeline.item(HELP_ID)["reply"] == "UNKNOWN"


def test_a_claim_left_by_a_run_that_died_is_never_resent(pipeline):
    mid = HELP_ID
    pipeline.aws.dynamodb.put_item(
        TableName="ajo-sms-inbound",
        Item={"id": {"S": mid}, "reply": {"S": "CLAIMED"}, "replyToken": {"S": "gone"}},
    )
    pipeline.publish(fixture_message("help"))

    pipeline.drain(pipeline.function())

    assert pipeline.replies() == []
    assert len(pipeline.webhook.received) == 1


def test_reply_that_surely_failed_is_released_and_sent_on_retry(pipeline):
    pipeline.sms_api.enqueue(throttling(), throttling(), throttling())  # MAX_ATTEMPTS=3
    pipeline.publish(fixture_message("help"))
    process = pipeline.function()

    assert pipeline.deliver(process) == 1
    assert pipeline.sms_api.accepted_count == 0
    assert "reply" not in pipeline.item(HELP_ID)  # released
    assert len(pipeline.webhook.received) == 1  # the other steps went on

    pipeline.drain(process)

    assert pipeline.sms_api.accepted_count == 1
    assert len(pipeline.replies()) == 4
    assert len(pipeline.webhook.received) == 1


def test_stop_is_on_the_list_even_when_its_confirmation_failed(pipeline):
    pipeline.sms_api.enqueue(*[v2_error("InternalServerException", "boom", 500)] * 3)
    pipeline.publish(fixture_message("stop"))

    pipeline.drain(pipeline.function())

    assert SENDER in pipeline.sms_api.opt_out_lists[OPT_OUT_LIST]
    # The retry's confirmation is refused (opted out): recorded, not retried for ever.
    assert pipeline.item(STOP_ID)["reply"] == "REFUSED"
    assert pipeline.sms_api.accepted_count == 0
    assert len(pipeline.webhook.received) == 1


def test_opt_out_list_throttled_is_retried_until_done(pipeline):
    pipeline.sms_api.enqueue_op("PutOptedOutNumber", *[throttling()] * 4)  # botocore's 4 tries
    pipeline.publish(fixture_message("stop"))
    process = pipeline.function()

    assert pipeline.deliver(process) == 1
    assert SENDER not in pipeline.sms_api.opt_out_lists[OPT_OUT_LIST]
    pipeline.drain(process)

    assert SENDER in pipeline.sms_api.opt_out_lists[OPT_OUT_LIST]
    assert pipeline.sms_api.accepted_count == 1  # the confirmation went out first, once
    assert len(pipeline.webhook.received) == 1


def test_unknown_opt_out_list_fails_the_message_for_the_dlq(make_pipeline):
    pipeline = make_pipeline(max_receive_count=2)
    pipeline.publish(fixture_message("stop"))

    pipeline.drain(pipeline.function(OPT_OUT_LIST_NAME="no-such-list"))

    assert len(pipeline.dead_letters()) == 1
    assert pipeline.sms_api.accepted_count == 1  # the reply, once across both receives
    assert len(pipeline.webhook.received) == 1


def test_stop_then_start_from_one_number(pipeline):
    pipeline.publish(inbound_json("STOP", "in-1"))
    process = pipeline.function()
    pipeline.drain(process)
    assert SENDER in pipeline.sms_api.opt_out_lists[OPT_OUT_LIST]

    pipeline.publish(inbound_json("start", "in-2"))
    pipeline.drain(process)

    assert SENDER not in pipeline.sms_api.opt_out_lists[OPT_OUT_LIST]
    assert [r.body["MessageBody"] for r in pipeline.sms_api.accepted] == [
        REPLIES["OPT_OUT_REPLY"],
        REPLIES["OPT_IN_REPLY"],
    ]
