"""Logs: one JSON object per line, numbers masked, no message body, key or traceback.

Also the last line of defence: an unexpected exception inside the function becomes a
JSON 500 INTERNAL_ERROR without traceback (fault injected into the function's own sender).
"""

from __future__ import annotations

import json

import pytest
from harness.loopback_sms import v1_result, v2_error

from .sms_send_helpers import API_KEY, US_NATIONAL, US_NUMBER, call, load_handler, request

SECRET_TEXT = "Your secret code is 918273"


def log_lines(capsys) -> list[dict]:
    out = capsys.readouterr().out
    assert "Traceback" not in out
    assert "4155550100" not in out
    assert SECRET_TEXT not in out and "918273" not in out
    assert API_KEY not in out
    lines = [line for line in out.splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line is one JSON object


@pytest.mark.parametrize("number", [US_NUMBER, US_NATIONAL, "1-415-555-0100"])
def test_a_send_logs_one_line_with_the_number_masked(v2, capsys, number):
    capsys.readouterr()
    answer = call(v2, request(destinationNumber=number, message=SECRET_TEXT))

    assert answer.status == 200
    (line,) = log_lines(capsys)
    assert line["level"] == "INFO"
    assert line["event"] == "sms_send"
    assert line["destination"] == "+1415*****00"
    assert line["status"] == 200
    assert line["messageId"] == answer.body["messageId"]
    assert line["requestId"] == "6f1c9c3e-1111-2222-3333-444455556666"
    assert line["apiRequestId"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    assert isinstance(line["durationMs"], float)


def test_upstream_text_quoting_the_number_is_masked_in_logs(v2, sms_api, capsys):
    sms_api.enqueue(
        v2_error("ConflictException", f"{US_NUMBER} is blocked by rule +1 415 555 0100", Reason="X")
    )
    capsys.readouterr()
    answer = call(v2, request(message=SECRET_TEXT))

    assert answer.status == 400
    (line,) = log_lines(capsys)
    assert line["code"] == "UPSTREAM_REJECTED"
    assert "+1415*****00" in line["error"]


def test_v1_status_messages_are_masked(v1, sms_api, capsys):
    sms_api.enqueue(v1_result("PERMANENT_FAILURE", 400, status_message=f"Bad {US_NUMBER}"))
    capsys.readouterr()
    call(v1, request(message=SECRET_TEXT))
    (line,) = log_lines(capsys)
    assert line["status"] == 400


def test_a_rejected_number_is_not_logged_at_all(v2, capsys):
    capsys.readouterr()
    call(v2, request(destinationNumber="+1 415 555 0100 x99", message=SECRET_TEXT))
    (line,) = log_lines(capsys)
    assert "destination" not in line
    assert line["code"] == "INVALID_PHONE_NUMBER"


def test_debug_level_still_logs_no_body_or_number(sms_api, capsys):
    handler = load_handler(
        {"AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url, "LOG_LEVEL": "DEBUG"}
    )
    capsys.readouterr()
    call(handler, request(message=SECRET_TEXT))
    assert log_lines(capsys)


def test_warning_level_silences_the_per_request_line(sms_api, capsys):
    handler = load_handler(
        {"AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url, "LOG_LEVEL": "WARNING"}
    )
    capsys.readouterr()
    call(handler, request())
    assert log_lines(capsys) == []


def test_an_unexpected_exception_is_a_json_500_without_traceback(
    v2_env, sms_api, monkeypatch, capsys
):
    handler = load_handler(v2_env, fresh=True)

    def broken_send(request):
        raise RuntimeError(f"bug while sending to {US_NUMBER}")

    monkeypatch.setattr(handler._APP._sender, "send", broken_send)
    capsys.readouterr()
    answer = call(handler, request(message=SECRET_TEXT))

    assert answer.status == 500
    assert answer.body == {
        "status": "RETRY",
        "error": {
            "code": "INTERNAL_ERROR",
            "message": "the function failed unexpectedly; retry later",
            "field": None,
        },
        "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",  # the event's, as API Gateway's
    }
    error_line, request_line = log_lines(capsys)
    assert error_line["level"] == "ERROR"
    assert error_line["errorType"] == "RuntimeError"
    assert "+1415*****00" in error_line["error"]
    assert request_line["status"] == 500


def test_an_unexpected_exception_frees_the_idempotency_key(
    sms_api, moto_server, idempotency_table, monkeypatch
):
    handler = load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
            "AWS_ENDPOINT_URL_DYNAMODB": moto_server,
            "IDEMPOTENCY_TABLE": idempotency_table.name,
        },
        fresh=True,
    )
    monkeypatch.setattr(
        handler._APP._sender, "send", lambda request: (_ for _ in ()).throw(KeyError("x"))
    )
    assert call(handler, request(idempotencyKey="k")).status == 500
    assert idempotency_table.items() == []


def test_the_cold_start_logs_its_settings_without_secrets(sms_api, capsys):
    capsys.readouterr()
    load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
            "DEFAULT_ORIGINATION_IDENTITY": "+12065550123",
        },
        fresh=True,
    )
    out = capsys.readouterr().out
    (line,) = [json.loads(x) for x in out.splitlines()]
    assert line["event"] == "sms_send.init"
    assert line["api"] == "v2"
    assert "2065550123" not in out
