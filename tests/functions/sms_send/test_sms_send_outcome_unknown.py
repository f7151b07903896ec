"""Exactly once when the SMS API's answer is lost: the "outcome unknown" state.

The loopback SMS API takes the SMS (counted in `accepted_count`) and then loses the
answer the ways real connections do: a TCP reset, a FIN without an answer, half a 200,
an answer slower than the read timeout. Only a failure before the request was written
(refused, connect timeout, DNS) may be retried; after it the function neither retries nor
frees the key blindly: the idempotency record says UNKNOWN and UNKNOWN_OUTCOME decides
what AJO's retry with the same key gets (at_most_once: SEND_OUTCOME_UNKNOWN, nothing
resent; at_least_once: one new send). Every case counts the SMS the fake accepted.
"""

from __future__ import annotations

import json
import time

import pytest
from harness.loopback_sms import (
    Reply,
    accept_then_close,
    accept_then_half_answer,
    accept_then_reset,
    close_connection,
    hang,
    v1_result,
    v2_error,
    v2_ok,
)

from .sms_send_helpers import US_NUMBER, Answer, Context, call, free_port, load_handler, request

DROPS = {
    "reset": accept_then_reset,
    "fin": accept_then_close,
    "half-200": accept_then_half_answer,
}
UNKNOWN_BODY_CODE = "SEND_OUTCOME_UNKNOWN"


def ajo(handler, body, context=None) -> list[Answer]:
    """One AJO custom-action call: the first try plus up to 3 retries on any error but
    401/403/404 (Experience League), stopping at the first 2xx."""
    answers = [call(handler, body, context)]
    while len(answers) < 4 and answers[-1].status not in (200, 401, 403, 404):
        answers.append(call(handler, body, context))
    return answers


@pytest.fixture
def idempotent(sms_api, moto_server, idempotency_table):
    """handler(policy): the send function with a table and UNKNOWN_OUTCOME=policy."""

    def load(policy: str | None = None, **extra: str):
        env = {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
            "AWS_ENDPOINT_URL_DYNAMODB": moto_server,
            "CONFIGURATION_SET_NAME": "ajo-sms",
            "IDEMPOTENCY_TABLE": idempotency_table.name,
            **extra,
        }
        if policy is not None:
            env["UNKNOWN_OUTCOME"] = policy
        return load_handler(env)

    return load


def _status(table) -> str:
    (item,) = table.items()
    return item["status"]["S"]


def _assert_unknown_answer(answer: Answer) -> None:
    assert answer.status == 502
    assert answer.body["status"] == "UNKNOWN"
    assert answer.error["code"] == UNKNOWN_BODY_CODE
    assert "Retry-After" not in answer.headers
    assert answer.body["requestId"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"  # the event's


# --- dropped after the SMS API accepted --------------------------------------------------


@pytest.mark.parametrize("drop", DROPS)
def test_a_drop_after_accept_is_not_retried_inside_the_function(v2, sms_api, drop):
    sms_api.rules[US_NUMBER] = DROPS[drop]()
    answer = call(v2, request())

    assert sms_api.accepted_count == 1
    assert len(sms_api.sends()) == 1
    _assert_unknown_answer(answer)  # the default, at_most_once


@pytest.mark.parametrize("drop", DROPS)
def test_at_most_once_ajos_retries_send_nothing_more(idempotent, sms_api, idempotency_table, drop):
    handler = idempotent()  # UNKNOWN_OUTCOME unset: at_most_once
    sms_api.enqueue(DROPS[drop]())  # the first request is taken, its answer lost
    answers = ajo(handler, request(idempotencyKey=f"otp-{drop}"))

    assert sms_api.accepted_count == 1
    assert len(answers) == 4  # AJO retried 3 times, and was told the same each time
    for answer in answers:
        _assert_unknown_answer(answer)
    assert _status(idempotency_table) == "UNKNOWN"


@pytest.mark.parametrize("drop", DROPS)
def test_at_least_once_ajos_retry_sends_exactly_once_more(
    idempotent, sms_api, idempotency_table, drop
):
    handler = idempotent("at_least_once")
    sms_api.enqueue(DROPS[drop](), v2_ok("the-resend"))
    answers = ajo(handler, request(idempotencyKey=f"promo-{drop}"))

    assert [a.status for a in answers] == [503, 200]
    assert answers[0].body["status"] == "RETRY"
    assert answers[0].error["code"] == "UPSTREAM_UNAVAILABLE"
    assert answers[1].body["messageId"] == "the-resend"
    assert sms_api.accepted_count == 2  # the lost one and the resend: never a third
    replay = call(handler, request(idempotencyKey=f"promo-{drop}"))
    assert (replay.body["messageId"], replay.body["idempotentReplay"]) == ("the-resend", True)
    assert sms_api.accepted_count == 2
    assert _status(idempotency_table) == "COMPLETED"


def test_the_unknown_record_is_kept_before_the_policy_is_applied(
    idempotent, sms_api, idempotency_table
):
    # at_least_once does not free the key blindly: the record says UNKNOWN until the resend.
    handler = idempotent("at_least_once")
    sms_api.enqueue(accept_then_reset())
    assert call(handler, request(idempotencyKey="audit")).status == 503
    assert _status(idempotency_table) == "UNKNOWN"


def test_a_close_before_accept_looks_the_same_and_is_treated_the_same(v2, sms_api):
    # A FIN without an answer may or may not follow an accept: the client cannot tell.
    sms_api.enqueue(close_connection(), v2_ok("would-be-a-second-send"))
    answer = call(v2, request())

    _assert_unknown_answer(answer)
    assert len(sms_api.sends()) == 1


def test_botocore_does_not_retry_behind_the_functions_back(sms_api):
    # The standard AWS variables cannot turn botocore's own retries back on for the SMS API.
    handler = load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
            "AWS_MAX_ATTEMPTS": "5",
            "AWS_RETRY_MODE": "legacy",
        }
    )
    sms_api.rules[US_NUMBER] = accept_then_reset()
    call(handler, request())
    assert sms_api.accepted_count == 1


# --- read timeout --------------------------------------------------------------------------


@pytest.mark.parametrize(("policy", "sms"), [("at_most_once", 1), ("at_least_once", 2)])
def test_a_read_timeout_is_an_unknown_outcome(idempotent, sms_api, idempotency_table, policy, sms):
    handler = idempotent(policy, SMS_READ_TIMEOUT_SECONDS="0.2")
    sms_api.enqueue(hang(0.5))  # accepted, answered after the client gave up
    first = call(handler, request(idempotencyKey="slow"))
    assert sms_api.accepted_count == 1
    assert _status(idempotency_table) == "UNKNOWN"

    time.sleep(0.4)  # the late answer is written to a closed socket
    retried = call(handler, request(idempotencyKey="slow"))
    assert sms_api.accepted_count == sms
    if policy == "at_most_once":
        _assert_unknown_answer(first)
        _assert_unknown_answer(retried)
    else:
        assert (first.status, first.error["code"]) == (503, "UPSTREAM_UNAVAILABLE")
        assert retried.status == 200


@pytest.mark.parametrize("status", [502, 504])
def test_a_gateway_error_is_an_unknown_outcome_not_a_retry(v2, sms_api, status):
    # A gateway gave up on the service (504) or on its answer (502): it may have sent.
    sms_api.rules[US_NUMBER] = v2_error("GatewayTimeout", "upstream timed out", status)
    answer = call(v2, request())

    _assert_unknown_answer(answer)
    assert len(sms_api.sends()) == 1


# --- a 200 without a MessageId -------------------------------------------------------------


def test_a_200_without_a_message_id_is_not_sent_with_an_empty_id(v2, sms_api):
    sms_api.enqueue(Reply(200, {}))
    answer = call(v2, request())

    _assert_unknown_answer(answer)
    assert sms_api.accepted_count == 1


def test_a_v1_success_without_a_message_id_is_an_unknown_outcome(v1, sms_api):
    reply = v1_result()
    del reply.body["MessageId"]
    sms_api.enqueue(reply)
    answer = call(v1, request())

    _assert_unknown_answer(answer)
    assert sms_api.accepted_count == 1


@pytest.mark.parametrize("drop", ["reset", "fin", "half-200"])
def test_v1_drops_after_accept_are_not_retried(v1, sms_api, drop):
    sms_api.rules[US_NUMBER] = DROPS[drop]()
    answer = call(v1, request())

    _assert_unknown_answer(answer)
    assert len(sms_api.sends()) == 1


def test_a_200_without_a_message_id_is_never_replayed_as_sent(
    idempotent, sms_api, idempotency_table
):
    handler = idempotent()
    sms_api.enqueue(Reply(200, {}))
    answers = ajo(handler, request(idempotencyKey="no-id"))
    assert all(a.error["code"] == UNKNOWN_BODY_CODE for a in answers)
    assert sms_api.accepted_count == 1
    assert _status(idempotency_table) == "UNKNOWN"


# --- failures before the request was written stay retry-safe -------------------------------


def test_a_refused_connection_is_retried_and_frees_the_key(sms_api, moto_server, idempotency_table):
    refused = load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": f"http://127.0.0.1:{free_port()}",
            "AWS_ENDPOINT_URL_DYNAMODB": moto_server,
            "IDEMPOTENCY_TABLE": idempotency_table.name,
            "SMS_MAX_ATTEMPTS": "2",
        }
    )
    answer = call(refused, request(idempotencyKey="refused"))
    assert (answer.status, answer.error["code"]) == (503, "UPSTREAM_UNAVAILABLE")
    assert idempotency_table.items() == []  # nothing was sent: the key is free

    reachable = load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
            "AWS_ENDPOINT_URL_DYNAMODB": moto_server,
            "IDEMPOTENCY_TABLE": idempotency_table.name,
        }
    )
    assert call(reachable, request(idempotencyKey="refused")).status == 200
    assert sms_api.accepted_count == 1


# --- the invocation dies with the send in flight -------------------------------------------


class LambdaKilled(BaseException):
    """The runtime killing the invocation (timeout, out of memory): no handler runs."""


def _expire_claim(table) -> None:
    """What the passage of time does to the claim: its in-flight deadline passes."""
    (item,) = table.items()
    table.client.update_item(
        TableName=table.name,
        Key={"id": item["id"]},
        UpdateExpression="SET in_progress_expiration = :past",
        ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 1)}},
    )


def _kill_after_send(handler) -> None:
    """The SMS API takes the request, then the invocation dies before reading the answer."""

    def die(**kwargs):
        raise LambdaKilled

    client = handler._APP._sender._operations["SMS"].__self__
    client.meta.events.register("needs-retry.pinpoint-sms-voice-v2.SendTextMessage", die)


@pytest.mark.parametrize(("policy", "sms"), [("at_most_once", 1), ("at_least_once", 2)])
def test_a_claim_left_by_an_invocation_killed_mid_send(
    sms_api, moto_server, idempotency_table, policy, sms
):
    env = {
        "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
        "AWS_ENDPOINT_URL_DYNAMODB": moto_server,
        "IDEMPOTENCY_TABLE": idempotency_table.name,
        "UNKNOWN_OUTCOME": policy,
    }
    dying = load_handler(env, fresh=True)
    _kill_after_send(dying)
    with pytest.raises(LambdaKilled):
        call(dying, request(idempotencyKey="killed"))
    assert sms_api.accepted_count == 1
    assert _status(idempotency_table) == "IN_PROGRESS"

    copy = load_handler(env, fresh=True)  # AJO's retry, in another execution environment
    assert call(copy, request(idempotencyKey="killed")).status == 429  # still in flight
    _expire_claim(idempotency_table)
    answers = ajo(copy, request(idempotencyKey="killed"))
    assert sms_api.accepted_count == sms
    if policy == "at_most_once":
        for answer in answers:
            _assert_unknown_answer(answer)
    else:
        assert [a.status for a in answers] == [200]


# --- sent, then the COMPLETED record cannot be written -------------------------------------


@pytest.mark.parametrize(("policy", "sms"), [("at_most_once", 1), ("at_least_once", 2)])
def test_a_failed_complete_write_does_not_let_a_copy_send_again(
    idempotent, sms_api, idempotency_table, policy, sms
):
    handler = idempotent(policy)
    table = idempotency_table
    saved = {}

    def send_then_lose_the_table(captured):
        # The table goes away while the SMS API answers: the COMPLETED PutItem fails and the
        # claim is all that is left of this send.
        saved["items"] = table.items()
        table.client.delete_table(TableName=table.name)
        return v2_ok("sent-once")

    sms_api.rules[US_NUMBER] = send_then_lose_the_table
    first = call(handler, request(idempotencyKey="lost-record"), Context(remaining_ms=5000))
    assert (first.status, first.body["messageId"]) == (200, "sent-once")

    # DynamoDB is back with the claim as it was; the claim's deadline passes.
    table.client.create_table(
        TableName=table.name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for item in saved["items"]:
        table.client.put_item(TableName=table.name, Item=item)
    assert _status(table) == "IN_PROGRESS"
    _expire_claim(table)
    sms_api.rules[US_NUMBER] = v2_ok("second-send")

    answers = ajo(handler, request(idempotencyKey="lost-record"))
    assert sms_api.accepted_count == sms
    if policy == "at_most_once":
        _assert_unknown_answer(answers[0])


def test_a_failed_unknown_write_still_answers_unknown_and_says_so(
    idempotent, sms_api, idempotency_table, capsys
):
    def lose_the_table_then_the_answer(captured):
        idempotency_table.client.delete_table(TableName=idempotency_table.name)
        return accept_then_reset()

    handler = idempotent()
    sms_api.rules[US_NUMBER] = lose_the_table_then_the_answer
    capsys.readouterr()
    answer = call(handler, request(idempotencyKey="unrecorded"))

    _assert_unknown_answer(answer)
    assert sms_api.accepted_count == 1
    warning, line = (json.loads(x) for x in capsys.readouterr().out.splitlines())
    assert (warning["level"], warning["event"]) == (
        "WARNING",
        "sms_send.idempotency_mark_unknown_failed",
    )
    assert (line["code"], line["outcomeUnknown"]) == ("SEND_OUTCOME_UNKNOWN", True)
