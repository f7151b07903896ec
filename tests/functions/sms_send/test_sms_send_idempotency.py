"""At most one SMS per idempotencyKey, with DynamoDB served by moto (server mode).

Sequential retries, concurrent copies (threads racing on the conditional claim), key
reuse with another message, failures freeing the key, and a DynamoDB outage.
"""

from __future__ import annotations

import threading
import time

import pytest
from harness.loopback_sms import Reply, v2_error, v2_ok

from .sms_send_helpers import US_NUMBER, Context, call, free_port, load_handler, request


def test_a_retried_request_replays_the_first_result(with_idempotency, sms_api, idempotency_table):
    sms_api.enqueue(v2_ok("first-message"))
    first = call(with_idempotency, request(idempotencyKey="journey-1:profile-9"))
    second = call(with_idempotency, request(idempotencyKey="journey-1:profile-9"))

    assert first.status == second.status == 200
    assert first.body["idempotentReplay"] is False
    assert second.body == {**first.body, "idempotentReplay": True}
    assert len(sms_api.sends()) == 1


def test_the_table_holds_hashes_not_keys_or_numbers(with_idempotency, idempotency_table):
    call(with_idempotency, request(idempotencyKey="journey-1:profile-9"))

    (item,) = idempotency_table.items()
    assert item["status"] == {"S": "COMPLETED"}
    assert item["id"]["S"].startswith("sms_send#")
    assert int(item["expiration"]["N"]) > time.time() + 86000  # 24 h default TTL
    text = str(item)
    assert "journey-1" not in text
    assert "4155550100" not in text


def test_distinct_keys_send_distinct_messages(with_idempotency, sms_api):
    call(with_idempotency, request(idempotencyKey="a"))
    call(with_idempotency, request(idempotencyKey="b"))
    call(with_idempotency, request())  # no key: no deduplication
    call(with_idempotency, request())
    assert len(sms_api.sends()) == 4


def test_a_key_reused_for_another_message_is_refused(with_idempotency, sms_api):
    call(with_idempotency, request(idempotencyKey="k1"))
    answer = call(with_idempotency, request(idempotencyKey="k1", message="Another text"))

    assert answer.status == 400
    assert answer.error == {
        "code": "IDEMPOTENCY_KEY_REUSED",
        "message": answer.error["message"],
        "field": "idempotencyKey",
    }
    assert len(sms_api.sends()) == 1


def test_the_fingerprint_ignores_how_the_number_was_written(with_idempotency, sms_api):
    call(with_idempotency, request(idempotencyKey="k2", destinationNumber=US_NUMBER))
    answer = call(with_idempotency, request(idempotencyKey="k2", destinationNumber="415-555-0100"))

    assert answer.body["idempotentReplay"] is True
    assert len(sms_api.sends()) == 1


@pytest.mark.parametrize(
    "failure",
    [
        v2_error("ThrottlingException", "Rate exceeded"),
        v2_error("InternalServerException", "Oops", 500),
        v2_error("ValidationException", "bad", Reason="INVALID_PARAMETER"),
        v2_error("ConflictException", "opted out", Reason="DESTINATION_PHONE_NUMBER_OPTED_OUT"),
    ],
)
def test_a_failed_send_frees_the_key_for_the_retry(
    with_idempotency, sms_api, idempotency_table, failure
):
    sms_api.rules[US_NUMBER] = failure
    failed = call(with_idempotency, request(idempotencyKey="k3"))
    assert failed.status >= 400
    assert idempotency_table.items() == []

    sms_api.rules.clear()
    sms_api.enqueue(v2_ok("on-retry"))
    retried = call(with_idempotency, request(idempotencyKey="k3"))
    assert (retried.status, retried.body["messageId"]) == (200, "on-retry")
    assert retried.body["idempotentReplay"] is False


def test_concurrent_copies_send_exactly_one_sms(with_idempotency, sms_api):
    # The SMS API takes 0.3 s: every copy arrives while the first is still sending.
    sms_api.rules[US_NUMBER] = Reply(200, {"MessageId": "the-only-one"}, delay=0.3)
    copies = 8
    answers = []
    barrier = threading.Barrier(copies)

    def send_copy():
        barrier.wait()
        answers.append(call(with_idempotency, request(idempotencyKey="burst")))

    threads = [threading.Thread(target=send_copy) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(sms_api.sends()) == 1
    statuses = sorted(a.status for a in answers)
    assert statuses == [200] + [429] * (copies - 1)
    for answer in answers:
        if answer.status == 429:
            assert answer.body["status"] == "RETRY"
            assert answer.error["code"] == "THROTTLED"
            assert answer.error["field"] == "idempotencyKey"
            assert answer.headers["Retry-After"] == "1"
    # Once the first finished, every copy replays its result.
    replay = call(with_idempotency, request(idempotencyKey="burst"))
    assert (replay.body["messageId"], replay.body["idempotentReplay"]) == ("the-only-one", True)


@pytest.mark.parametrize("policy", ["at_most_once", "at_least_once"])
def test_a_stale_claim_of_another_message_is_a_key_reuse(
    sms_api, moto_server, idempotency_table, policy
):
    # A crashed invocation's claim, for a different message: never resent as this one.
    from ajo_sms_send.stores import item_id

    handler = load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
            "AWS_ENDPOINT_URL_DYNAMODB": moto_server,
            "IDEMPOTENCY_TABLE": idempotency_table.name,
            "UNKNOWN_OUTCOME": policy,
        }
    )
    now = int(time.time())
    for status in ("IN_PROGRESS", "UNKNOWN"):
        idempotency_table.client.put_item(
            TableName=idempotency_table.name,
            Item={
                "id": {"S": item_id("k4")},
                "status": {"S": status},
                "expiration": {"N": str(now + 3600)},
                "in_progress_expiration": {"N": str(now - 1)},
                "fingerprint": {"S": "left-by-a-crash"},
                "token": {"S": "dead"},
            },
        )
        answer = call(handler, request(idempotencyKey="k4"))
        assert (answer.status, answer.error["code"]) == (400, "IDEMPOTENCY_KEY_REUSED")
    assert sms_api.sends() == []


def test_an_expired_record_frees_the_key(with_idempotency, sms_api, idempotency_table):
    # Past `expiration` (DynamoDB's TTL deletes lazily) any record is gone for the claim.
    from ajo_sms_send.stores import item_id

    idempotency_table.client.put_item(
        TableName=idempotency_table.name,
        Item={
            "id": {"S": item_id("k12")},
            "status": {"S": "UNKNOWN"},
            "expiration": {"N": str(int(time.time()) - 1)},
            "fingerprint": {"S": "an-old-message"},
            "token": {"S": "old"},
        },
    )
    answer = call(with_idempotency, request(idempotencyKey="k12"))
    assert (answer.status, answer.body["idempotentReplay"]) == (200, False)


def test_the_in_progress_window_is_the_invocations_deadline(
    with_idempotency, sms_api, idempotency_table
):
    sms_api.rules[US_NUMBER] = Reply(200, {"MessageId": "m"}, delay=0.2)
    seen = {}

    def peek():
        time.sleep(0.1)
        seen["items"] = idempotency_table.items()

    watcher = threading.Thread(target=peek)
    watcher.start()
    call(with_idempotency, request(idempotencyKey="k5"), context=Context(remaining_ms=12_000))
    watcher.join()

    (item,) = seen["items"]
    assert item["status"] == {"S": "IN_PROGRESS"}
    window = int(item["in_progress_expiration"]["N"]) - time.time()
    assert 9 < window <= 14


def test_without_a_table_a_key_is_accepted_and_logged_as_off(v2, sms_api, capsys):
    import json

    capsys.readouterr()
    call(v2, request(idempotencyKey="k9"))
    call(v2, request(idempotencyKey="k9"))
    assert len(sms_api.sends()) == 2
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["idempotency"] for line in lines] == ["off", "off"]


def test_dry_runs_do_not_touch_the_table(with_idempotency, sms_api, idempotency_table):
    call(with_idempotency, request(idempotencyKey="k6", dryRun=True))
    call(with_idempotency, request(idempotencyKey="k6", dryRun=True))
    assert idempotency_table.items() == []
    assert len(sms_api.sends()) == 2


def test_a_sent_sms_is_a_200_even_if_recording_it_fails(
    with_idempotency, sms_api, idempotency_table, capsys
):
    import json

    def send_then_lose_the_table(captured):
        # The table disappears while the SMS API answers: the record PutItem fails.
        idempotency_table.client.delete_table(TableName=idempotency_table.name)
        return v2_ok("sent-anyway")

    sms_api.rules[US_NUMBER] = send_then_lose_the_table
    capsys.readouterr()
    answer = call(with_idempotency, request(idempotencyKey="k10"))

    assert (answer.status, answer.body["messageId"]) == (200, "sent-anyway")
    error, line = (json.loads(x) for x in capsys.readouterr().out.splitlines())
    assert error["event"] == "sms_send.idempotency_record_failed"
    assert error["code"] == "UPSTREAM_ERROR"
    assert line["status"] == 200


def test_a_failed_release_keeps_the_sends_own_error(
    with_idempotency, sms_api, idempotency_table, capsys
):
    import json

    def lose_the_table_then_refuse(captured):
        idempotency_table.client.delete_table(TableName=idempotency_table.name)
        return v2_error(
            "ConflictException", "opted out", Reason="DESTINATION_PHONE_NUMBER_OPTED_OUT"
        )

    sms_api.rules[US_NUMBER] = lose_the_table_then_refuse
    capsys.readouterr()
    answer = call(with_idempotency, request(idempotencyKey="k11"))

    assert answer.status == 409
    warning, line = (json.loads(x) for x in capsys.readouterr().out.splitlines())
    assert (warning["level"], warning["event"]) == (
        "WARNING",
        "sms_send.idempotency_release_failed",
    )
    assert line["code"] == "DESTINATION_OPTED_OUT"


def test_an_unreachable_table_sends_nothing(sms_api):
    handler = load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
            "AWS_ENDPOINT_URL_DYNAMODB": f"http://127.0.0.1:{free_port()}",
            "IDEMPOTENCY_TABLE": "sms-idempotency",
        }
    )
    answer = call(handler, request(idempotencyKey="k7"))

    assert answer.status == 503
    assert answer.error["code"] == "UPSTREAM_UNAVAILABLE"
    assert sms_api.sends() == []


def test_a_missing_table_is_the_operators_502(sms_api, moto_server):
    handler = load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
            "AWS_ENDPOINT_URL_DYNAMODB": moto_server,
            "IDEMPOTENCY_TABLE": "no-such-table",
        }
    )
    answer = call(handler, request(idempotencyKey="k8"))

    assert answer.status == 502
    assert answer.error["code"] == "UPSTREAM_ERROR"
    assert sms_api.sends() == []
