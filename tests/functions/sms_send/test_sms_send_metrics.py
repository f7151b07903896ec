"""Metrics as CloudWatch Embedded Metric Format in the log lines: each request's and each
queued record's line is a valid EMF document (tests/harness/emf.py, from AWS's
specification), counts the outcome under its code, and carries no phone number."""

from __future__ import annotations

import json

import pytest
from ajo_sms_send.telemetry import DISPATCH_METRICS, REQUEST_METRICS, request_values
from harness.emf import check_emf
from harness.loopback_sms import accept_then_reset, v2_error

from .delivery_helpers import accept, invoke, take
from .sms_send_helpers import US_NUMBER, call, load_handler, request

FUNCTION = "ajo-sms-sms-send"


def lines_with_metrics(capsys) -> list[dict]:
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    emf = [line for line in lines if "_aws" in line]
    for line in emf:
        assert check_emf(line) == [], line
    assert "4155550100" not in out
    return emf


def metric_values(line: dict, names: tuple[str, ...]) -> dict[str, int]:
    return {name: line[name] for name in names if line[name]}


@pytest.fixture
def send(v2_env):
    return load_handler(
        {**v2_env, "METRICS_NAMESPACE": "Tests/AjoSms", "AWS_LAMBDA_FUNCTION_NAME": FUNCTION}
    )


@pytest.mark.parametrize(
    ("reply", "fields", "code", "values"),
    [
        (None, {}, "SENT", {"Requests": 1, "Sent": 1, "Segments": 1}),
        (None, {"message": "x" * 200}, "SENT", {"Requests": 1, "Sent": 1, "Segments": 2}),
        (None, {"dryRun": True}, "DRY_RUN", {"Requests": 1}),
        (None, {"destinationNumber": "12"}, "INVALID_PHONE_NUMBER", {"Requests": 1, "Rejected": 1}),
        (v2_error("ThrottlingException", "Rate exceeded"), {}, "THROTTLED",
         {"Requests": 1, "Throttled": 1}),
        (v2_error("ConflictException", "opted out", Reason="DESTINATION_PHONE_NUMBER_OPTED_OUT"),
         {}, "DESTINATION_OPTED_OUT", {"Requests": 1, "Rejected": 1}),
        (v2_error("InternalServerException", "oops", 500), {}, "UPSTREAM_ERROR",
         {"Requests": 1, "Failed": 1}),
        (accept_then_reset(), {}, "SEND_OUTCOME_UNKNOWN", {"Requests": 1, "Failed": 1}),
    ],
)  # fmt: skip
def test_each_request_counts_its_outcome(send, sms_api, capsys, reply, fields, code, values):
    if reply is not None:
        sms_api.enqueue(*[reply] * 3)  # the function's own retries see the same
    capsys.readouterr()
    call(send, request(**fields))

    (line,) = lines_with_metrics(capsys)
    assert line["Code"] == code
    assert metric_values(line, REQUEST_METRICS) == values
    assert line["FunctionName"] == FUNCTION
    (directive,) = line["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Tests/AjoSms"
    assert directive["Dimensions"] == [["FunctionName"], ["FunctionName", "Code"]]
    assert [m["Name"] for m in directive["Metrics"]] == list(REQUEST_METRICS)


def test_an_idempotent_replay_counts_no_second_send(with_idempotency, capsys):
    call(with_idempotency, request(idempotencyKey="k-metrics"))
    capsys.readouterr()
    call(with_idempotency, request(idempotencyKey="k-metrics"))

    (line,) = lines_with_metrics(capsys)
    assert line["Code"] == "SENT"
    assert metric_values(line, REQUEST_METRICS) == {"Requests": 1, "IdempotentReplays": 1}


def test_queued_requests_and_their_dispatch_are_counted(delivery, capsys):
    accept(delivery, message="y" * 200)
    (queued,) = lines_with_metrics(capsys)
    assert queued["Code"] == "QUEUED"
    assert metric_values(queued, REQUEST_METRICS) == {"Requests": 1, "Queued": 1, "Segments": 2}

    invoke(delivery, delivery.dispatcher(), *take(delivery))
    (dispatched,) = lines_with_metrics(capsys)
    assert dispatched["event"] == "sms_dispatch" and dispatched["Code"] == "SENT"
    assert metric_values(dispatched, DISPATCH_METRICS) == {"Dispatched": 1, "Segments": 2}


def test_an_expired_queued_message_is_counted(delivery, capsys, monkeypatch):
    accept(delivery)
    messages = take(delivery)
    dispatcher = delivery.dispatcher()
    monkeypatch.setattr(dispatcher._DISPATCHER, "_clock", lambda: 10**10)  # far past the deadline
    capsys.readouterr()
    invoke(delivery, dispatcher, *messages)

    (line,) = lines_with_metrics(capsys)
    assert line["Code"] == "EXPIRED"
    assert metric_values(line, DISPATCH_METRICS) == {"Expired": 1}


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": 200, "segments": 1}, "SENT"),
        ({"status": 202, "segments": 1, "idempotency": "replay"}, "QUEUED"),
        ({"status": 400, "code": "MESSAGE_TOO_LONG"}, "MESSAGE_TOO_LONG"),
        ({"status": 500, "code": "INTERNAL_ERROR"}, "INTERNAL_ERROR"),
        ({"status": 404}, "HTTP_404"),
    ],
)
def test_request_values_name_the_outcome_by_code(fields, code):
    assert request_values(fields)[0] == code


def test_a_code_that_is_not_a_contract_code_is_not_a_dimension():
    from ajo_runtime.metrics import Emf

    line = json.loads(
        "{" + Emf(("Requests",), {}).fragment(f"BAD {US_NUMBER}", {"Requests": 1}) + "}"
    )
    assert line["Code"] == "OTHER"
    assert check_emf(line) == []
