"""The caller's message text never reaches a log line or an error body.

An SMS API ValidationException quotes the value it refused: `Value '<MessageBody>' at
'messageBody' failed to satisfy constraint: ...`. The loopback answers exactly that (and
the v1 and DynamoDB equivalents); the caller still gets the reason and the field.
"""

from __future__ import annotations

import json

import pytest
from harness.loopback_sms import v1_error, v1_result, v2_error

from .sms_send_helpers import call, request

# Texts that try to break a redaction: quotes of both kinds, the validation message's
# own separators, newlines, non-GSM characters, a number.
TEXTS = [
    "Your secret code is 918273",
    "Don't share it: 918273",
    "He said \"918273\" ' at 'messageBody' failed to satisfy constraint: x",
    "line one\nline 'two' 918273\n\"three\"",
    "Código secreto 918273 — ne le partagez pas 🙂",
]


def _quoting(text: str) -> str:
    return (
        f"1 validation error detected: Value '{text}' at 'messageBody' failed to satisfy "
        "constraint: Member must have length less than or equal to 1600"
    )


def _assert_not_leaked(text: str, answer, out: str) -> None:
    for place in (answer.raw["body"], out):
        assert text not in place
        assert "918273" not in place
        # JSON escapes a quote or a newline: look for the escaped form too.
        assert json.dumps(text)[1:-1] not in place


@pytest.mark.parametrize("text", TEXTS)
def test_a_validation_exception_quoting_the_body_is_not_echoed_or_logged(v2, sms_api, capsys, text):
    sms_api.enqueue(
        v2_error(
            "ValidationException",
            _quoting(text),
            Reason="FIELD_VALIDATION_FAILED",
            Fields=[{"Name": "MessageBody", "Message": _quoting(text)}],
        )
    )
    capsys.readouterr()
    answer = call(v2, request(message=text))

    _assert_not_leaked(text, answer, capsys.readouterr().out)
    assert answer.status == 400
    assert answer.error["field"] == "message"  # the caller still learns what to fix...
    assert "FIELD_VALIDATION_FAILED" in answer.error["message"]  # ...and why
    assert "failed to satisfy constraint" in answer.error["message"]


@pytest.mark.parametrize("text", TEXTS)
def test_v1_errors_quoting_the_body_are_not_echoed_or_logged(v1, sms_api, capsys, text):
    sms_api.enqueue(
        v1_error("BadRequestException", _quoting(text), 400),
        v1_result("PERMANENT_FAILURE", 400, status_message=f"Message '{text}' was refused"),
    )
    capsys.readouterr()
    answers = [call(v1, request(message=text)), call(v1, request(message=text))]

    out = capsys.readouterr().out
    for answer in answers:
        _assert_not_leaked(text, answer, out)
        assert (answer.status, answer.error["code"]) == (400, "UPSTREAM_REJECTED")


@pytest.mark.parametrize("status", [400, 500])
def test_idempotency_store_errors_pass_through_the_same_redaction(status):
    from ajo_sms_send.stores import _store_error

    text = TEXTS[2]
    error = _store_error(
        {
            "Error": {"Code": "ValidationException", "Message": _quoting(text)},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }
    )
    assert text not in error.message and "918273" not in error.message
    assert error.message.startswith("the idempotency table failed: ValidationException")


def test_an_unexpected_exception_quoting_the_body_is_not_logged(
    v2_env, sms_api, monkeypatch, capsys
):
    from .sms_send_helpers import load_handler

    handler = load_handler(v2_env, fresh=True)
    text = TEXTS[1]

    def broken_send(req):
        raise ValueError(f"cannot encode {req.message!r}")

    monkeypatch.setattr(handler._APP._sender, "send", broken_send)
    capsys.readouterr()
    answer = call(handler, request(message=text))

    assert answer.status == 500
    _assert_not_leaked(text, answer, capsys.readouterr().out)
