"""Configuration: a bad environment fails every message with the reason logged;
keyword matching on whole messages only."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sms_inbound import config
from sms_inbound.keywords import Category, classify, first_word

from .conftest import inbound_json

KEYWORDS = config.load({"INBOUND_TABLE": "t", "CUSTOM_KEYWORDS": '["JOIN"]'}).keywords


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("STOP", Category.OPT_OUT), ("stop.", Category.OPT_OUT), (" Stop! ", Category.OPT_OUT),
        ("🛑 stop 🛑", Category.OPT_OUT), ("opt-out", Category.OPT_OUT),
        ("\uff33\uff34\uff2f\uff30", Category.OPT_OUT),  # fullwidth STOP
        ("Unstop", Category.OPT_IN), ("help?", Category.HELP), ("join", Category.CUSTOM),
        ("stop sending me these", Category.NONE), ("No problem", Category.NONE),
        ("stop stop", Category.NONE), ("", Category.NONE), ("👍", Category.NONE),
        (".stop", Category.NONE),
    ],
)  # fmt: skip
def test_whole_message_keywords(text, category):
    assert classify(text, KEYWORDS) == category


@given(
    st.sampled_from(sorted(KEYWORDS)),
    st.text(min_size=1).filter(lambda t: any(c.isalnum() for c in t)),
)
def test_a_keyword_followed_by_words_is_never_a_keyword(keyword, tail):
    assert classify(f"{keyword} {tail}", KEYWORDS) == Category.NONE


def test_first_word():
    assert first_word("stop. please") == "STOP"
    assert first_word("🛑 Stop!") == "STOP"
    assert first_word("") == ""


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({}, "INBOUND_TABLE is required"),
        ({"INBOUND_TABLE": "t", "SELF_MANAGED_OPT_OUTS": "true"}, "OPT_OUT_LIST_NAME is required"),
        ({"INBOUND_TABLE": "t", "SELF_MANAGED_OPT_OUTS": "yes"}, "must be true or false"),
        ({"INBOUND_TABLE": "t", "HELP_KEYWORDS": "HELP"}, "JSON array of strings"),
        ({"INBOUND_TABLE": "t", "CUSTOM_KEYWORDS": '["stop"]'}, "is in CUSTOM_KEYWORDS and"),
        ({"INBOUND_TABLE": "t", "AJO_INBOUND_WEBHOOK_URL": "http://ajo.example"}, "https://"),
        ({"INBOUND_TABLE": "t", "MAX_ATTEMPTS": "0"}, "MAX_ATTEMPTS must be between"),
        ({"INBOUND_TABLE": "t", "AJO_INBOUND_WEBHOOK_SECRET_ARN": "arn:x"}, "without"),
    ],
)
def test_misconfigured_fails_every_message_with_the_reason(pipeline, env, reason, capsys):
    from sms_inbound import app

    pipeline.publish(inbound_json("STOP", "in-1"))
    process = app.build(env)
    pipeline.deliver(process)

    assert pipeline.webhook.requests == [] and pipeline.sms_api.requests == []
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(reason in line["reason"] for line in lines) and len(lines) == 2


def test_handler_cold_start_reads_the_environment(pipeline, load_handler):
    module = load_handler(pipeline.environ())
    pipeline.publish(inbound_json("HELP", "in-1"))

    pipeline.drain(module.handler)

    assert pipeline.sms_api.accepted_count == 1
    assert pipeline.webhook.received_values("RequestID") == ["in-1"]
