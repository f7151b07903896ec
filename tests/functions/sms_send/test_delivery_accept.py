"""Queued delivery, accept path: validated as direct, idempotent, 202 QUEUED, one SQS message."""

from __future__ import annotations

import json
import time

import pytest

from .sms_send_helpers import US_NUMBER, call, load_handler, request


def queued_messages(delivery, kind="TRANSACTIONAL"):
    return [json.loads(m["Body"]) for m in delivery.receive(delivery.queue_urls[kind])]


def test_queued_request_is_answered_202_and_enqueued(delivery, sms_api):
    handler = delivery.send_handler()
    before = time.time()
    answer = call(handler, request(context={"journeyId": "j-1"}, message="ok ✓"))
    assert answer.status == 202, answer
    body = answer.body
    assert body["status"] == "QUEUED"
    assert len(body["trackingId"]) == 32 and int(body["trackingId"], 16) >= 0
    assert body | {"trackingId": "-"} == {
        "status": "QUEUED", "trackingId": "-", "destinationNumber": US_NUMBER,
        "channel": "SMS", "segments": 1, "encoding": "UCS-2", "idempotentReplay": False,
    }  # fmt: skip
    assert sms_api.sends() == []  # nothing sent at accept
    [message] = queued_messages(delivery)
    assert message["trackingId"] == body["trackingId"]
    assert message["destination"] == US_NUMBER and message["message"] == "ok ✓"
    assert message["messageType"] == "TRANSACTIONAL" and message["attempt"] == 1
    assert message["configurationSetName"] == "ajo-sms"
    assert message["context"] == {"journeyId": "j-1"}
    assert message["v"] == 1 and message["segments"] == 1 and message["encoding"] == "UCS-2"
    assert message["channel"] == "SMS" and "mediaUrls" not in message and "voiceId" not in message
    assert before <= message["acceptedAt"] <= time.time()
    assert message["deadline"] == pytest.approx(message["acceptedAt"] + 14400)


def test_message_type_picks_the_queue(delivery):
    handler = delivery.send_handler()
    assert call(handler, request(messageType="promotional")).status == 202
    assert queued_messages(delivery, "TRANSACTIONAL") == []
    assert [m["messageType"] for m in queued_messages(delivery, "PROMOTIONAL")] == ["PROMOTIONAL"]


def test_validity_seconds_sets_the_deadline(delivery):
    handler = delivery.send_handler(VALIDITY_SECONDS="600")
    call(handler, request())
    [message] = queued_messages(delivery)
    assert message["deadline"] == pytest.approx(message["acceptedAt"] + 600)


def test_delivery_field_overrides_the_default(delivery, sms_api):
    handler = delivery.send_handler()
    direct = call(handler, request(delivery="DIRECT"))
    assert direct.status == 200 and direct.body["status"] == "SENT"
    assert len(sms_api.sends()) == 1
    direct_default = delivery.send_handler(DEFAULT_DELIVERY="direct")
    assert call(direct_default, request(delivery="queued")).status == 202


def test_dry_run_is_always_direct(delivery, sms_api):
    answer = call(delivery.send_handler(), request(dryRun=True, delivery="queued"))
    assert answer.status == 200 and answer.body["status"] == "DRY_RUN"
    assert sms_api.sends()[0].body["DryRun"] is True
    assert queued_messages(delivery) == []


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"delivery": "later"}, "delivery", "INVALID_FIELD"),
        ({"delivery": 1}, "delivery", "INVALID_FIELD"),
        ({"context": {f"k{i}": "v" for i in range(5)}}, "context", "INVALID_FIELD"),
        ({"context": {"trackingId": "mine"}}, "context", "INVALID_FIELD"),
        # validated exactly as direct: the same codes before anything is queued
        ({"destinationNumber": "12"}, "destinationNumber", "INVALID_PHONE_NUMBER"),
        ({"message": "x" * 1601}, "message", "MESSAGE_TOO_LONG"),
        ({"poolId": "pool-1", "originationIdentity": "+18005550199"}, "poolId",
         "CONFLICTING_FIELDS"),
    ],
)  # fmt: skip
def test_bad_queued_requests_get_the_direct_codes(delivery, fields, field, code):
    answer = call(delivery.send_handler(), request(**fields))
    assert (answer.status, answer.error["code"], answer.error["field"]) == (400, code, field)
    assert queued_messages(delivery) == []


def test_four_context_entries_still_fit_beside_the_tracking_id(delivery):
    context = {f"k{i}": "v" for i in range(4)}
    assert call(delivery.send_handler(), request(context=context)).status == 202


def test_queued_on_a_deployment_without_queues_is_refused(v2_env):
    answer = call(load_handler(v2_env), request(delivery="queued"))
    assert (answer.status, answer.error["code"], answer.error["field"]) == (
        400, "INVALID_FIELD", "delivery",
    )  # fmt: skip


def test_retry_with_the_key_answers_the_same_tracking_id(delivery):
    handler = delivery.send_handler()
    first = call(handler, request(idempotencyKey="journey-1/profile-1"))
    again = call(handler, request(idempotencyKey="journey-1/profile-1"))
    assert first.status == again.status == 202
    assert again.body["trackingId"] == first.body["trackingId"]
    assert again.body["idempotentReplay"] is True and "messageId" not in again.body
    # not sent yet: the replay enqueues again (the first enqueue may have been lost);
    # both copies carry one trackingId and deadline, and the dispatcher sends once
    copies = queued_messages(delivery)
    assert {m["trackingId"] for m in copies} == {first.body["trackingId"]} and len(copies) == 2
    assert len({m["deadline"] for m in copies}) == 1
    other = call(handler, request(idempotencyKey="journey-1/profile-2"))
    assert other.body["trackingId"] != first.body["trackingId"]
    reused = call(handler, request(idempotencyKey="journey-1/profile-1", message="other"))
    assert (reused.status, reused.error["code"]) == (400, "IDEMPOTENCY_KEY_REUSED")


def test_replay_after_dispatch_adds_the_message_id(delivery, sms_api):
    handler = delivery.send_handler()
    first = call(handler, request(idempotencyKey="k-sent"))
    delivery.event_source(delivery.dispatcher()).poll_once()
    [sent] = sms_api.accepted
    again = call(handler, request(idempotencyKey="k-sent"))
    assert again.status == 202 and again.body["trackingId"] == first.body["trackingId"]
    record = delivery.record(first.body["trackingId"])
    assert record["status"] == "SENT" and again.body["messageId"] == record["messageId"]
    assert sent.body["Context"]["trackingId"] == first.body["trackingId"]


def test_queue_unreachable_is_a_retryable_5xx_and_frees_the_key(delivery, sms_api):
    from .sms_send_helpers import free_port

    dead = f"http://127.0.0.1:{free_port()}"
    broken = delivery.send_handler(AWS_ENDPOINT_URL_SQS=dead)
    answer = call(broken, request(idempotencyKey="k-outage"))
    assert (answer.status, answer.body["status"], answer.error["code"]) == (
        503, "RETRY", "UPSTREAM_UNAVAILABLE",
    )  # fmt: skip
    # AJO's retry, once SQS is back, queues the message under the same trackingId.
    retried = call(delivery.send_handler(), request(idempotencyKey="k-outage"))
    assert retried.status == 202 and retried.body["idempotentReplay"] is False
    assert [m["trackingId"] for m in queued_messages(delivery)] == [retried.body["trackingId"]]


def test_missing_queue_is_a_5xx_not_the_callers_fault(delivery):
    gone = delivery.queue_urls["TRANSACTIONAL"].rsplit("/", 1)[0] + "/no-such-queue"
    answer = call(delivery.send_handler(QUEUE_URL_TRANSACTIONAL=gone), request())
    assert answer.status == 502 and answer.error["code"] == "UPSTREAM_ERROR", answer


def test_ambiguous_enqueue_repeated_carries_the_same_tracking_id(delivery):
    """An enqueue that timed out may have queued: the retry's copy has the same trackingId,
    and the dispatcher sends one SMS for both (test_delivery_dispatch covers that half)."""
    from ajo_sms_send.delivery import tracking_id
    from ajo_sms_send.stores import tracking_id as derived

    item, fingerprint = "sms_send#" + "a" * 64, "f" * 64
    assert derived(item, fingerprint) == derived(item, fingerprint)
    assert derived(item, fingerprint) != derived(item, "e" * 64)
    assert tracking_id(None) != tracking_id(None)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEFAULT_DELIVERY": "queued", "QUEUE_URL_TRANSACTIONAL": "", "QUEUE_URL_PROMOTIONAL": ""},
         "DEFAULT_DELIVERY=queued"),
        ({"QUEUE_URL_PROMOTIONAL": ""}, "both"),
        ({"DELIVERY_TABLE": ""}, "DELIVERY_TABLE"),
        ({"DEFAULT_DELIVERY": "later"}, "DEFAULT_DELIVERY"),
        ({"VALIDITY_SECONDS": "259201"}, "VALIDITY_SECONDS"),
    ],
)  # fmt: skip
def test_bad_delivery_settings_fail_the_cold_start(delivery, env, message):
    with pytest.raises(ValueError, match=message):
        load_handler({**delivery.send_env, **env}, fresh=True)


def test_queued_retry_after_an_accept_that_died_enqueues_again(delivery):
    """The accept wrote its QUEUED claim, then died before SendMessage: AJO's retry (the
    first call failed) replays the trackingId and enqueues the message."""
    from ajo_sms_send.stores import IdempotencyStore
    from ajo_sms_send.validation import validate

    handler = delivery.send_handler()
    died = validate(request(idempotencyKey="k-died"), handler._APP._settings)
    store = IdempotencyStore(delivery.dynamodb, delivery.idempotency_table, 86400)
    claim = store.claim(died, 30, queued_at=time.time())
    answer = call(handler, request(idempotencyKey="k-died"))
    assert answer.status == 202 and answer.body["trackingId"] == claim.tracking_id
    assert [m["trackingId"] for m in queued_messages(delivery)] == [claim.tracking_id]


def test_accept_is_one_table_write_and_one_send_message(delivery, monkeypatch):
    """The accept path's floor is the claim + SendMessage: nothing else on the way."""
    handler = delivery.send_handler()
    app = handler._APP
    calls = []
    for name, obj in (("dynamodb", app._store._client), ("sqs", app._queue)):
        for method in ("put_item", "get_item", "delete_item", "update_item", "send"):
            if hasattr(obj, method):
                original = getattr(obj, method)

                def recorded(*a, _o=original, _n=f"{name}.{method}", **k):
                    calls.append(_n)
                    return _o(*a, **k)

                monkeypatch.setattr(obj, method, recorded)
    assert call(handler, request(idempotencyKey="k-floor")).status == 202
    assert calls == ["dynamodb.put_item", "sqs.send"]
