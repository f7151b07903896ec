"""Plan tests of the root's two-way SMS and AJO SMS channel wiring: two_way off
adds nothing, on it attaches the requested numbers to the topic (with the
opt-out mode), the `two_way` and `ajo_sms_provider` outputs, the feedback
webhook on the event forwarder, and the two_way validations."""

from __future__ import annotations

import json

import pytest
from root.inputs import ACCOUNT, BASE

pytestmark = pytest.mark.slow
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:ajo-sms-sms-inbound"
NUMBER = 'module.ajo_sms.module.messaging.aws_pinpointsmsvoicev2_phone_number.this["sim"]'
INBOUND = "module.ajo_sms.module.two_way[0].module.inbound_function.aws_lambda_function.this"
FORWARDER = "module.ajo_sms.module.event_export[0].module.aep_function[0]"
INBOUND_WEBHOOK = "https://ajo.example.adobe.io/sms/inbound"
FEEDBACK_WEBHOOK = "https://ajo.example.adobe.io/sms/feedback"
SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ajo-webhook-AbCdEf"
SIMULATOR = {"iso_country_code": "US", "number_type": "SIMULATOR"}
WITH_NUMBER = {**BASE, "sms": {**BASE["sms"], "phone_numbers": {"sim": SIMULATOR}}}


@pytest.fixture(scope="module")
def off_plan(plan_module):
    return plan_module(**WITH_NUMBER)


@pytest.fixture(scope="module")
def on_plan(plan_module):
    return plan_module(
        **WITH_NUMBER,
        two_way={
            "enabled": True,
            "self_managed_opt_outs": True,
            "ajo_inbound_webhook": {"url": INBOUND_WEBHOOK, "secret_arn": SECRET},
        },
        event_export={"ajo_feedback_webhook": {"url": FEEDBACK_WEBHOOK, "secret_arn": SECRET}},
    )


def test_two_way_off_adds_nothing(off_plan):
    assert not [a for a in off_plan.values if ".module.two_way[" in a]
    assert not [a for a in off_plan.values if a.endswith("aws_sns_topic_subscription.queue")]
    number = off_plan.values[NUMBER]
    assert number["two_way_channel_enabled"] is False
    assert number.get("two_way_channel_arn") is None
    assert number["self_managed_opt_outs_enabled"] is False
    assert off_plan.outputs["two_way"] is None
    assert FORWARDER + ".aws_lambda_function.this" not in off_plan.values  # no forwarder target


def test_two_way_on_attaches_the_requested_numbers(on_plan):
    number = on_plan.values[NUMBER]
    assert number["two_way_channel_arn"] == TOPIC
    assert number["two_way_channel_enabled"] is True
    assert number["self_managed_opt_outs_enabled"] is True
    assert number.get("two_way_channel_role") is None  # the topic policy admits sms-voice


def test_inbound_function_uses_the_deployments_list_set_and_stream(on_plan):
    env = on_plan.values[INBOUND]["environment"][0]["variables"]
    assert env["OPT_OUT_LIST_NAME"] == "ajo-sms"
    assert env["CONFIGURATION_SET_NAME"] == "ajo-sms"
    assert env["EVENTS_STREAM_NAME"] == "ajo-sms-sms-events"
    assert env["SELF_MANAGED_OPT_OUTS"] == "true"
    assert env["AJO_INBOUND_WEBHOOK_URL"] == INBOUND_WEBHOOK
    assert env["AJO_INBOUND_WEBHOOK_SECRET_ARN"] == SECRET
    assert env["AJO_INBOUND_WEBHOOK_HEADER"] == "x-ajo-webhook-secret"


def test_two_way_output(on_plan):
    two_way = on_plan.outputs["two_way"]
    assert two_way["topic_arn"] == TOPIC
    assert two_way["function_name"] == "ajo-sms-sms-inbound"
    assert two_way["attach_command"] == (
        "aws pinpoint-sms-voice-v2 update-phone-number --phone-number-id <phone-number-id>"
        f" --two-way-enabled --two-way-channel-arn '{TOPIC}'"
        " --self-managed-opt-outs-enabled --opt-out-list-name 'ajo-sms'"
    )
    assert set(two_way) == {
        "topic_arn", "queue_url", "dead_letter_queue_url", "redrive_command", "function_name",
        "attach_command",
    }  # fmt: skip


def test_ajo_sms_provider_output(on_plan):
    provider = on_plan.outputs["ajo_sms_provider"]
    # The send resource's URL, known after apply, the same as the custom action's.
    assert provider["provider_url"] == on_plan.outputs["ajo_custom_action"]["url"]
    assert provider["auth_type"] == "API key"
    assert provider["api_key_name"] == "x-api-key"
    assert provider["api_key_token"].startswith("<the API key")
    assert json.loads(provider["provider_payload"]) == {
        "destinationNumber": "{{toNumber}}",
        "message": "{{message}}",
        "originationIdentity": "{{fromNumber}}",
    }
    inbound = provider["inbound_webhook_payload"]
    assert set(inbound) == {
        "InboundMessage", "ProfileNumber", "RequestID", "OriginTimestamp", "InboundNumber",
    }  # fmt: skip
    assert all(field == value for field, value in inbound.items())  # one to one
    assert provider["feedback_webhook_payload"] == {
        "clientReference": "clientReference",
        "statuses[].code": "statuses[].code",
        "statuses[].status": "statuses[].status",
    }
    assert provider["inbound_webhook"] == {
        "input": "two_way.ajo_inbound_webhook.url",
        "url": INBOUND_WEBHOOK,
    }
    assert provider["feedback_webhook"] == {
        "input": "event_export.ajo_feedback_webhook.url",
        "url": FEEDBACK_WEBHOOK,
    }


def test_feedback_webhook_reaches_the_forwarder_without_aep(on_plan):
    env = on_plan.values[FORWARDER + ".aws_lambda_function.this"]["environment"][0]["variables"]
    assert env["AJO_FEEDBACK_WEBHOOK_URL"] == FEEDBACK_WEBHOOK
    assert env["AJO_FEEDBACK_WEBHOOK_SECRET_ARN"] == SECRET
    assert env["CLIENT_REFERENCE_KEY"] == "clientReference"
    assert not [k for k in env if k.startswith("AEP_")]
    assert "module.ajo_sms.module.event_export[0].aws_secretsmanager_secret.aep[0]" not in (
        on_plan.values
    )


HOOK = {"url": INBOUND_WEBHOOK}


@pytest.mark.parametrize(
    ("two_way", "message"),
    [
        ({"keywords": {"custom": ["NO THANKS"]}}, "two_way.keywords must be 1-30 characters"),
        ({"keywords": {"help": ["STOP"]}}, "two_way.keywords must be unique across opt_out"),
        (
            {"self_managed_opt_outs": True, "keywords": {"opt_out": []}},
            "two_way.keywords.opt_out must not be empty with self-managed opt-outs",
        ),
        ({"replies": {"opt_out": "x" * 1601}}, "two_way.replies must be at most 1600 characters"),
        ({"ajo_inbound_webhook": {"url": "http://x.example"}}, "must be an https:// URL"),
        (
            {"ajo_inbound_webhook": {**HOOK, "secret_arn": "s"}},
            "two_way.ajo_inbound_webhook.secret_arn must be a Secrets Manager secret ARN",
        ),
        (
            {"ajo_inbound_webhook": {**HOOK, "secret_kms_key_arn": "k"}},
            "two_way.ajo_inbound_webhook.secret_kms_key_arn must be a KMS key ARN",
        ),
        (
            {"ajo_inbound_webhook": {**HOOK, "header_name": "a:b"}},
            "two_way.ajo_inbound_webhook.header_name must be an HTTP header token",
        ),
        ({"function": {"memory_size": 64}}, "two_way.function.memory_size must be a whole"),
        ({"function": {"timeout": 901}}, "two_way.function.timeout must be a whole number"),
        (
            {"function": {"timeout": 20, "http_timeout_seconds": 10}},
            "two_way.function.timeout must exceed two_way.function.max_attempts",
        ),
        ({"function": {"max_attempts": 11}}, "two_way.function.max_attempts must be a whole"),
        ({"function": {"http_timeout_seconds": 0}}, "two_way.function.http_timeout_seconds must"),
        ({"function": {"reserved_concurrency": 0}}, "two_way.function.reserved_concurrency must"),
        ({"queue": {"max_receive_count": 1001}}, "two_way.queue.max_receive_count must be a"),
        ({"queue": {"batch_size": 0}}, "two_way.queue.batch_size must be a whole number"),
        ({"queue": {"maximum_concurrency": 1001}}, "two_way.queue.maximum_concurrency must be"),
    ],
)
def test_bad_two_way_inputs_fail_at_plan_time(plan_module_error, two_way, message):
    error = plan_module_error(**{**BASE, "two_way": {"enabled": True, **two_way}})
    assert message in " ".join(error.split())


def test_two_way_needs_the_v2_api(plan_module_error):
    error = plan_module_error(**{**BASE, "sms": {"api": "v1"}, "two_way": {"enabled": True}})
    assert 'two_way needs sms.api = "v2"' in " ".join(error.split())


def test_a_self_managed_number_needs_self_managed_two_way(plan_module_error):
    number = {"iso_country_code": "US", "number_type": "SIMULATOR"}
    sms = {
        **BASE["sms"],
        "phone_numbers": {"sim": {**number, "self_managed_opt_outs_enabled": True}},
    }
    error = plan_module_error(**{**BASE, "sms": sms, "two_way": {"enabled": True}})
    assert "conflicts with two_way.self_managed_opt_outs = false" in " ".join(error.split())
