"""Queued delivery, dispatcher: one SMS per message whatever SQS and the SMS API do.

SQS, DynamoDB and Firehose are moto; the SMS API is the loopback (AWS JSON 1.0); the
dispatcher is cold-started from functions/sms_send/dispatcher.py and driven by records
shaped as Lambda's SQS event (harness/sqs_event_source.py emulates the event source).
"""

from __future__ import annotations

import json
import threading
import time

import botocore.session
import pytest
from ajo_sms_send import dispatch
from harness.loopback_sms import accept_then_half_answer, accept_then_reset, hang, v2_error

from .delivery_helpers import BucketWrites, accept, event, invoke, take
from .sms_send_helpers import US_NUMBER, Context, call, free_port, request

ERRORS = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")


@pytest.fixture(autouse=True)
def no_delays(monkeypatch):
    """Re-enqueued copies visible at once (DelaySeconds 0), so tests need not wait."""
    monkeypatch.setattr(dispatch, "BACKOFF_BASE", 0.0)
    monkeypatch.setattr(dispatch, "THROTTLE_DELAY", 0.0)
    monkeypatch.setattr(dispatch, "BUSY_RECHECK", 0.0)


def quiet(module):
    module._DISPATCHER._jitter = lambda: 0.0
    return module


def fake(body: str, ident: str) -> dict:
    return {"MessageId": ident, "ReceiptHandle": ident, "Body": body, "Attributes": {}}


def bodies(delivery, kind="TRANSACTIONAL"):
    return [json.loads(m["Body"]) for m in delivery.receive(delivery.queue_urls[kind])]


def drain(delivery, dispatcher, kind="TRANSACTIONAL", seconds=20.0):
    source = delivery.event_source(dispatcher, kind, wait_seconds=0)
    deadline = time.monotonic() + seconds
    while delivery.count(delivery.queue_urls[kind]) and time.monotonic() < deadline:
        if not source.poll_once():
            time.sleep(0.2)
    assert delivery.count(delivery.queue_urls[kind]) == 0, "queue not drained"


def test_sent_with_time_to_live_context_record_and_event(delivery, sms_api, capsys):
    tracking = accept(delivery, context={"journeyId": "j-1"}, message="Code 424242")
    drain(delivery, quiet(delivery.dispatcher()))
    [sms] = sms_api.accepted
    assert sms.body["Context"] == {"journeyId": "j-1", "trackingId": tracking}
    assert 14390 <= sms.body["TimeToLive"] <= 14400
    assert sms.body["ConfigurationSetName"] == "ajo-sms"
    assert sms.body["MessageType"] == "TRANSACTIONAL"
    record = delivery.record(tracking)
    assert record["status"] == "SENT" and record["messageId"] and record["attempts"] == "1"
    [sent] = delivery.events()
    assert sent == {
        "eventType": "QUEUED_MESSAGE_SENT", "eventVersion": "1.0",
        "eventTimestamp": sent["eventTimestamp"], "trackingId": tracking,
        "messageId": record["messageId"], "code": None,
        "destinationPhoneNumber": "+1415*****00", "messageType": "TRANSACTIONAL",
        "channel": "SMS", "segments": 1, "attempts": 1, "context": {"journeyId": "j-1"},
    }  # fmt: skip
    logs = capsys.readouterr().out
    assert US_NUMBER not in logs and "424242" not in logs
    assert '"outcome":"sent"' in logs


def test_malformed_body_fails_only_its_record(delivery, sms_api):
    accept(delivery)
    accept(delivery, destinationNumber="+14155550101")
    first, second = sorted(take(delivery), key=lambda m: m["Body"])
    batch = event(first, fake("not json", "bad-1"), fake('{"v": 2}', "bad-2"), second)
    result = quiet(delivery.dispatcher()).handler(batch, Context())
    assert result == {
        "batchItemFailures": [{"itemIdentifier": "bad-1"}, {"itemIdentifier": "bad-2"}]
    }
    assert len(sms_api.accepted) == 2


def test_malformed_body_ends_in_the_dlq(make_delivery, sms_api):
    delivery = make_delivery(max_receive_count=1)
    url = delivery.queue_urls["TRANSACTIONAL"]
    delivery.sqs.send_message(QueueUrl=url, MessageBody="{broken")
    source = delivery.event_source(quiet(delivery.dispatcher()), wait_seconds=0)
    source.poll_once()
    time.sleep(5.5)  # the failed record is in flight until the queue's visibility timeout (5 s)
    source.poll_once()  # second receive > maxReceiveCount 1: moto moves it to the DLQ
    assert [m["Body"] for m in delivery.receive(delivery.dlq_url)] == ["{broken"]
    assert sms_api.sends() == []


@pytest.mark.parametrize("seconds_left", [-1, 4])
def test_past_the_deadline_is_expired_not_sent(delivery, sms_api, seconds_left):
    tracking = accept(delivery, context={"journeyId": "j-1"})
    [message] = take(delivery)
    body = json.loads(message["Body"])
    body["deadline"] = time.time() + seconds_left
    message["Body"] = json.dumps(body)
    assert invoke(delivery, quiet(delivery.dispatcher()), message) == {"batchItemFailures": []}
    assert sms_api.sends() == []
    assert delivery.record(tracking)["status"] == "EXPIRED"
    [expired] = delivery.events()
    assert expired["eventType"] == "QUEUED_MESSAGE_EXPIRED"
    assert expired["trackingId"] == tracking and expired["context"] == {"journeyId": "j-1"}


def test_redelivered_copies_send_once(delivery, sms_api):
    tracking = accept(delivery)
    [message] = take(delivery)
    dispatcher = quiet(delivery.dispatcher())
    assert dispatcher.handler(event(message, message), Context())["batchItemFailures"] == []
    assert invoke(delivery, dispatcher, message)["batchItemFailures"] == []
    assert len(sms_api.sends()) == 1
    assert delivery.record(tracking)["status"] == "SENT"
    assert len(delivery.events()) == 1


def pace_writes(dispatcher) -> BucketWrites:
    bucket = dispatcher._DISPATCHER._bucket
    bucket._client = BucketWrites(bucket._client)
    return bucket._client


def test_a_batch_takes_its_parts_with_one_bucket_write(delivery, sms_api):
    for n in range(6):
        accept(delivery, destinationNumber=f"+1415555010{n}")
    messages = take(delivery)
    dispatcher = quiet(delivery.dispatcher())
    writes = pace_writes(dispatcher)
    assert invoke(delivery, dispatcher, *messages)["batchItemFailures"] == []
    assert len(sms_api.accepted) == 6
    assert writes.tokens == [pytest.approx(19 - 6)]  # MPS 20: capacity 19


def test_parts_taken_for_copies_already_sent_go_back(delivery, sms_api):
    accept(delivery, destinationNumber="+14155550100")
    [sent] = take(delivery)
    invoke(delivery, quiet(delivery.dispatcher()), sent)
    accept(delivery, destinationNumber="+14155550101")
    [fresh] = take(delivery)
    dispatcher = quiet(delivery.dispatcher())
    writes = pace_writes(dispatcher)
    copies = [fake(sent["Body"], f"copy-{n}") for n in range(2)]
    assert invoke(delivery, dispatcher, fresh, *copies)["batchItemFailures"] == []
    assert len(sms_api.accepted) == 2  # the copies sent nothing
    # one take for the batch (3 parts), then the 2 parts of the copies given back
    assert len(writes.tokens) == 2 and writes.tokens[1] - writes.tokens[0] >= 2 - 1e-6


def test_crash_between_send_and_delete_sends_no_second_sms(delivery, sms_api):
    """The invocation sent and recorded, then died before the event source deleted the
    message: SQS makes it visible again and the next receive drops it."""
    tracking = accept(delivery)
    [message] = take(delivery)
    quiet(delivery.dispatcher()).handler(event(message), Context())  # never deleted
    delivery.sqs.change_message_visibility(
        QueueUrl=delivery.queue_urls["TRANSACTIONAL"],
        ReceiptHandle=message["ReceiptHandle"],
        VisibilityTimeout=0,
    )
    drain(delivery, quiet(delivery.dispatcher()))
    assert len(sms_api.sends()) == 1 and delivery.record(tracking)["status"] == "SENT"


def test_ambiguous_enqueue_repeated_sends_once(delivery, sms_api):
    """An enqueue that timed out after SQS took it, retried by AJO with the same key: two
    copies with one trackingId in the queue, one SMS."""
    handler = delivery.send_handler()
    first = call(handler, request(idempotencyKey="k-ambiguous"))
    [item] = delivery.dynamodb.scan(TableName=delivery.idempotency_table)["Items"]
    delivery.dynamodb.delete_item(TableName=delivery.idempotency_table, Key={"id": item["id"]})
    again = call(handler, request(idempotencyKey="k-ambiguous"))  # the key was freed
    assert again.body["trackingId"] == first.body["trackingId"]
    assert len(bodies(delivery)) == 2
    drain(delivery, quiet(delivery.dispatcher()))
    assert len(sms_api.sends()) == 1


def test_concurrent_copies_send_once(delivery, sms_api):
    """Four dispatcher instances get the same message at the same moment. Their DynamoDB
    calls are serialised (moto's conditional writes are not atomic; DynamoDB's are), their
    SMS calls are not: exactly one claim wins, the others come back later and drop it."""
    tracking = accept(delivery)
    [message] = take(delivery)
    lock = threading.Lock()
    dispatchers = [quiet(delivery.dispatcher(serialise=lock)) for _ in range(4)]
    start = threading.Barrier(4)
    results = []

    def run(d):
        start.wait()
        results.append(invoke(delivery, d, message))

    threads = [threading.Thread(target=run, args=(d,)) for d in dispatchers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [{"batchItemFailures": []}] * 4
    assert len(sms_api.sends()) == 1
    time.sleep(1.2)  # the copies of the losers come back after 1 s
    drain(delivery, dispatchers[0])
    assert len(sms_api.sends()) == 1 and delivery.record(tracking)["status"] == "SENT"


def error_cases():
    return [
        # (reply, caller-named identity, outcome, record status, code, requeued attempt)
        (v2_error("ThrottlingException", "Rate exceeded"), False, "throttled", "PENDING", None, 1),
        (v2_error("ServiceQuotaExceededException", "spend", 402,
                  Reason="MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT"),
         False, "rejected", "REJECTED", "QUOTA_EXCEEDED", None),
        (v2_error("ConflictException", "opted out", Reason="DESTINATION_PHONE_NUMBER_OPTED_OUT"),
         False, "rejected", "REJECTED", "DESTINATION_OPTED_OUT", None),
        (v2_error("ConflictException", "mismatch", Reason="MESSAGE_TYPE_MISMATCH"),
         False, "rejected", "REJECTED", "UPSTREAM_REJECTED", None),
        (v2_error("ValidationException", "bad number", Reason="INVALID_PARAMETER",
                  Fields=[{"Name": "DestinationPhoneNumber", "Message": "invalid"}]),
         False, "rejected", "REJECTED", "INVALID_PHONE_NUMBER", None),
        (v2_error("ValidationException", "bad", Reason="INVALID_ARN"),
         False, "rejected", "REJECTED", "UPSTREAM_REJECTED", None),
        (v2_error("ResourceNotFoundException", "no such pool", 404, ResourceType="pool",
                  ResourceId="pool-1"), True, "rejected", "REJECTED", "UPSTREAM_REJECTED", None),
        # the deployment's default identity is missing: the operator's fix, then a redrive
        (v2_error("ResourceNotFoundException", "no such pool", 404, ResourceType="pool",
                  ResourceId="pool-1"), False, "retry", "PENDING", None, 2),
        (v2_error("AccessDeniedException", "disabled", 403, Reason="ACCOUNT_DISABLED"),
         False, "retry", "PENDING", None, 2),
        (v2_error("InternalServerException", "oops", 500), False, "retry", "PENDING", None, 2),
        # the answer was lost after AWS took it: UNKNOWN_OUTCOME=at_most_once (default)
        (hang(2.0), False, "unknown", "UNKNOWN", "SEND_OUTCOME_UNKNOWN", None),
        (accept_then_reset(), False, "unknown", "UNKNOWN", "SEND_OUTCOME_UNKNOWN", None),
        (accept_then_half_answer(), False, "unknown", "UNKNOWN", "SEND_OUTCOME_UNKNOWN", None),
    ]  # fmt: skip


def test_error_cases_cover_every_send_text_message_error():
    listed = {e.name for e in ERRORS.operation_model("SendTextMessage").error_shapes}
    covered = {c[0].body["__type"].split("#")[1] for c in error_cases() if c[0].kind == "v2"}
    assert listed <= covered, listed - covered


@pytest.mark.parametrize(
    ("reply", "named", "outcome", "status", "code", "attempt"),
    error_cases(),
    ids=[(c[0].body or {}).get("__type", c[0].kind).split("#")[-1] + ("-named" if c[1] else "")
         for c in error_cases()],
)  # fmt: skip
def test_outcome_mapping(delivery, sms_api, capsys, reply, named, outcome, status, code, attempt):
    fields = {"originationIdentity": "pool-1"} if named else {}
    tracking = accept(delivery, **fields)
    [message] = take(delivery)
    sms_api.enqueue(reply)
    dispatcher = quiet(delivery.dispatcher(SMS_READ_TIMEOUT_SECONDS="0.5"))
    assert invoke(delivery, dispatcher, message) == {"batchItemFailures": []}
    assert f'"outcome":"{outcome}"' in capsys.readouterr().out
    record = delivery.record(tracking)
    assert record["status"] == status and record.get("code") == code
    requeued = bodies(delivery)
    assert [b["attempt"] for b in requeued] == ([attempt] if attempt else [])
    assert delivery.count(delivery.dlq_url) == 0
    if status in ("REJECTED", "UNKNOWN"):
        [final] = delivery.events()
        assert final["eventType"] == f"QUEUED_MESSAGE_{status}" and final["code"] == code
    else:
        assert delivery.events() == []


@pytest.mark.parametrize("reply", [hang(2.0), accept_then_reset()], ids=["hang", "reset"])
def test_lost_answer_with_at_least_once_is_retried(delivery, sms_api, reply):
    tracking = accept(delivery)
    [message] = take(delivery)
    sms_api.enqueue(reply)
    dispatcher = quiet(
        delivery.dispatcher(SMS_READ_TIMEOUT_SECONDS="0.5", UNKNOWN_OUTCOME="at_least_once")
    )
    assert invoke(delivery, dispatcher, message) == {"batchItemFailures": []}
    assert [b["attempt"] for b in bodies(delivery)] == [2]
    drain(delivery, dispatcher)
    assert sms_api.accepted_count == 2  # the policy's price: the first may have gone out
    assert delivery.record(tracking)["status"] == "SENT"


def died_while_sending(delivery, tracking):
    """What an invocation that claimed, then crashed mid-send, leaves behind."""
    from ajo_sms_send.stores import TrackingStore

    store = TrackingStore(delivery.dynamodb, delivery.table)
    assert store.claim(tracking, 0.0, int(time.time()) + 3600).unknown is False
    time.sleep(0.01)  # the lease (0 s) has run out


def test_copy_after_a_crash_mid_send_is_not_resent_at_most_once(delivery, sms_api):
    tracking = accept(delivery)
    died_while_sending(delivery, tracking)
    drain(delivery, quiet(delivery.dispatcher()))
    assert sms_api.sends() == []
    record = delivery.record(tracking)
    assert (record["status"], record["code"]) == ("UNKNOWN", "SEND_OUTCOME_UNKNOWN")
    assert [e["eventType"] for e in delivery.events()] == ["QUEUED_MESSAGE_UNKNOWN"]


def test_copy_after_a_crash_mid_send_is_resent_at_least_once(delivery, sms_api):
    tracking = accept(delivery)
    died_while_sending(delivery, tracking)
    drain(delivery, quiet(delivery.dispatcher(UNKNOWN_OUTCOME="at_least_once")))
    assert len(sms_api.accepted) == 1 and delivery.record(tracking)["status"] == "SENT"


def test_connection_refused_is_transient(delivery, sms_api):
    tracking = accept(delivery)
    [message] = take(delivery)
    dead = f"http://127.0.0.1:{free_port()}"
    dispatcher = quiet(delivery.dispatcher(AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2=dead))
    assert invoke(delivery, dispatcher, message) == {"batchItemFailures": []}
    assert [b["attempt"] for b in bodies(delivery)] == [2]
    assert delivery.record(tracking)["status"] == "PENDING"


def test_transient_failures_end_in_the_dlq_and_redrive_sends_once(delivery, sms_api):
    tracking = accept(delivery, context={"journeyId": "j-1"})
    sms_api.enqueue(*[v2_error("InternalServerException", "oops", 500)] * 2)
    dispatcher = quiet(delivery.dispatcher(MAX_ATTEMPTS="2"))
    drain(delivery, dispatcher)
    assert sms_api.accepted == [] and len(sms_api.sends()) == 2
    record = delivery.record(tracking)
    assert (record["status"], record["code"]) == ("FAILED", "UPSTREAM_ERROR")
    [failed] = delivery.events()
    assert failed["eventType"] == "QUEUED_MESSAGE_FAILED" and failed["attempts"] == 2
    [dead] = delivery.receive(delivery.dlq_url, visibility=30)
    assert json.loads(dead["Body"])["attempt"] == 1  # a redrive gets a fresh count
    # Redrive (what `aws sqs start-message-move-task` does): the message is sent once...
    url = delivery.queue_urls["TRANSACTIONAL"]
    delivery.sqs.send_message(QueueUrl=url, MessageBody=dead["Body"])
    drain(delivery, dispatcher)
    assert len(sms_api.accepted) == 1 and delivery.record(tracking)["status"] == "SENT"
    # ...and a second redrive of the same message sends nothing.
    delivery.sqs.send_message(QueueUrl=url, MessageBody=dead["Body"])
    drain(delivery, dispatcher)
    assert len(sms_api.accepted) == 1


def test_throttled_message_never_reaches_the_dlq(make_delivery, sms_api):
    """maxReceiveCount 1: a single failed receive would move it to the DLQ. Throttled
    copies are re-enqueued instead, so however often it is throttled it is sent."""
    delivery = make_delivery(max_receive_count=1)
    tracking = accept(delivery)
    sms_api.enqueue(*[v2_error("ThrottlingException", "Rate exceeded")] * 6)
    drain(delivery, quiet(delivery.dispatcher()))
    assert len(sms_api.sends()) == 7 and len(sms_api.accepted) == 1
    assert delivery.count(delivery.dlq_url) == 0
    assert delivery.record(tracking)["status"] == "SENT"


def test_after_a_throttle_the_rest_of_the_batch_is_put_back(delivery, sms_api, capsys):
    for n in range(3):
        accept(delivery, destinationNumber=f"+1415555010{n}")
    messages = take(delivery)
    assert len(messages) == 3
    sms_api.enqueue(v2_error("ThrottlingException", "Rate exceeded"))
    result = invoke(delivery, quiet(delivery.dispatcher()), *messages)
    assert result == {"batchItemFailures": []}
    assert len(sms_api.sends()) == 1  # no new work after the throttle
    assert sorted(b["attempt"] for b in bodies(delivery)) == [1, 1, 1]
    logs = capsys.readouterr().out
    assert logs.count('"outcome":"deferred"') == 2 and '"outcome":"throttled"' in logs


def test_short_remaining_time_defers_the_batch_without_failures(delivery, sms_api):
    for n in range(2):
        accept(delivery, destinationNumber=f"+1415555010{n}")
    messages = take(delivery)
    # reserve = connect 1 s + read 3 s + 2 s: 5 s left is too short to start a send
    result = invoke(delivery, quiet(delivery.dispatcher()), *messages, context=Context(5000))
    assert result == {"batchItemFailures": []}
    assert sms_api.sends() == [] and len(bodies(delivery)) == 2


class FirehoseCalls:
    """The dispatcher's Firehose client: records each PutRecordBatch; `refuse` names the
    entries (by position) Firehose answers with a per-record error, as it does when the
    stream is over its limits (FailedPutCount > 0), storing the rest."""

    def __init__(self, client, refuse=()):
        self._client = client
        self._refuse = set(refuse)
        self.batches: list[int] = []

    def put_record_batch(self, DeliveryStreamName, Records):
        self.batches.append(len(Records))
        kept = [r for i, r in enumerate(Records) if i not in self._refuse]
        stored = iter(
            self._client.put_record_batch(DeliveryStreamName=DeliveryStreamName, Records=kept)[
                "RequestResponses"
            ]
            if kept
            else []
        )
        error = {"ErrorCode": "ServiceUnavailableException", "ErrorMessage": "Slow down."}
        answers = [error if i in self._refuse else next(stored) for i in range(len(Records))]
        return {"FailedPutCount": len(self._refuse), "RequestResponses": answers}


def firehose_calls(dispatcher, refuse=()) -> FirehoseCalls:
    outcomes = dispatcher._DISPATCHER._outcomes
    outcomes._client = FirehoseCalls(outcomes._client, refuse)
    return outcomes._client


def test_a_batch_s_outcome_events_go_in_one_firehose_call(delivery, sms_api):
    tracking = {accept(delivery, destinationNumber=f"+1415555010{n}") for n in range(3)}
    messages = take(delivery)
    dispatcher = quiet(delivery.dispatcher())
    calls = firehose_calls(dispatcher)
    assert invoke(delivery, dispatcher, *messages)["batchItemFailures"] == []
    assert calls.batches == [3]
    events = delivery.events()
    assert {e["trackingId"] for e in events} == tracking
    assert {e["eventType"] for e in events} == {"QUEUED_MESSAGE_SENT"}


def test_events_firehose_refuses_are_logged_and_nothing_is_resent(delivery, sms_api, capsys):
    first, second = (accept(delivery, destinationNumber=f"+1415555010{n}") for n in range(2))
    messages = sorted(take(delivery), key=lambda m: json.loads(m["Body"])["trackingId"] != first)
    dispatcher = quiet(delivery.dispatcher())
    firehose_calls(dispatcher, refuse={1})
    assert invoke(delivery, dispatcher, *messages)["batchItemFailures"] == []
    assert [e["trackingId"] for e in delivery.events()] == [first]
    logs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    [lost] = [line for line in logs if line.get("event") == "sms_dispatch.event_failed"]
    assert lost["trackingId"] == second and lost["errorType"] == "ServiceUnavailableException"
    assert len(sms_api.accepted) == 2 and delivery.record(second)["status"] == "SENT"


def test_a_firehose_outage_loses_no_sms_and_logs_each_event(delivery, sms_api, capsys):
    tracking = {accept(delivery, destinationNumber=f"+1415555010{n}") for n in range(2)}
    messages = take(delivery)
    dead = f"http://127.0.0.1:{free_port()}"
    dispatcher = quiet(delivery.dispatcher(AWS_ENDPOINT_URL_FIREHOSE=dead))
    assert invoke(delivery, dispatcher, *messages)["batchItemFailures"] == []
    assert len(sms_api.accepted) == 2
    assert {delivery.record(t)["status"] for t in tracking} == {"SENT"}
    logs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    lost = {line["trackingId"] for line in logs if line.get("event") == "sms_dispatch.event_failed"}
    assert lost == tracking


def test_dynamodb_outage_fails_the_record_back_without_sending(delivery, sms_api):
    accept(delivery)
    [message] = take(delivery)
    dead = f"http://127.0.0.1:{free_port()}"
    dispatcher = quiet(delivery.dispatcher(AWS_ENDPOINT_URL_DYNAMODB=dead))
    result = dispatcher.handler(event(message), Context())
    assert result == {"batchItemFailures": [{"itemIdentifier": message["MessageId"]}]}
    assert sms_api.sends() == []


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MPS": ""}, "MPS"),
        ({"DLQ_URL": ""}, "DLQ_URL"),
        ({"MPS": "0"}, "MPS"),
        ({"PROMOTIONAL_RESERVE": "30"}, "PROMOTIONAL_RESERVE"),
        ({"MAX_ATTEMPTS": "0"}, "MAX_ATTEMPTS"),
    ],
)
def test_bad_dispatcher_settings_fail_the_cold_start(delivery, env, message):
    with pytest.raises(ValueError, match=message):
        delivery.dispatcher(**env)
