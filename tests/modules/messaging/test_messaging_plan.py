"""Plan tests of modules/messaging, one plan per option combination: existing
identities vs requested numbers, event destination on/off, created vs existing
opt-out list and configuration set, legacy Pinpoint v1 on/off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = "tests/modules/messaging/fixture"
HERE = Path(__file__).parent
ACCOUNT = "123456789012"
REGION = "eu-west-1"
PREFIX = f"arn:aws:sms-voice:{REGION}:{ACCOUNT}"
CONFIG_SET_ARN = f"{PREFIX}:configuration-set/ajo-sms-test"
POOL = f"{PREFIX}:pool/pool-0123456789abcdef0123456789abcdef"
PHONE = f"{PREFIX}:phone-number/phone-abcdef0123456789abcdef0123456789"
SENDER = f"{PREFIX}:sender-id/ACMECO/GB"
FIREHOSE = f"arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/ajo-sms-test-sms-events"
TEXT_EVENTS = [
    "TEXT_SENT", "TEXT_PENDING", "TEXT_QUEUED", "TEXT_SUCCESSFUL", "TEXT_DELIVERED",
    "TEXT_INVALID", "TEXT_INVALID_MESSAGE", "TEXT_UNREACHABLE", "TEXT_CARRIER_UNREACHABLE",
    "TEXT_BLOCKED", "TEXT_CARRIER_BLOCKED", "TEXT_SPAM", "TEXT_UNKNOWN", "TEXT_TTL_EXPIRED",
    "TEXT_PROTECT_BLOCKED",
]  # fmt: skip

M = "module.messaging"
CONFIG_SET = f"{M}.aws_pinpointsmsvoicev2_configuration_set.this[0]"
OPT_OUT = f"{M}.aws_pinpointsmsvoicev2_opt_out_list.this[0]"
DESTINATION = f"{M}.aws_pinpointsmsvoicev2_event_destination.firehose[0]"
ROLE = f"{M}.aws_iam_role.event_destination[0]"
ROLE_POLICY = f"{M}.aws_iam_role_policy.event_destination[0]"
APP = f"{M}.aws_pinpoint_app.legacy[0]"
CHANNEL = f"{M}.aws_pinpoint_sms_channel.legacy[0]"

pytestmark = pytest.mark.slow

EXISTING = {"pool_arns": [POOL], "phone_number_arns": [PHONE], "sender_id_arns": [SENDER]}


def output(summary) -> dict:
    return summary.outputs


@pytest.fixture(scope="module")
def existing_plan(plan_case):
    """The common case (existing.tfvars); tftest.yaml checks it against existing.yaml."""
    return plan_case(HERE, "existing")


def test_event_destination_sends_every_text_event_to_firehose(existing_plan):
    destination = existing_plan.values[DESTINATION]
    assert destination["configuration_set_name"] == "ajo-sms-test"
    assert sorted(destination["matching_event_types"]) == sorted(TEXT_EVENTS)
    assert destination["enabled"] is True
    assert destination["kinesis_firehose_destination"][0]["delivery_stream_arn"] == FIREHOSE


def test_event_destination_role_is_guarded_against_confused_deputies(existing_plan):
    trust = json.loads(existing_plan.values[ROLE]["assume_role_policy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "sms-voice.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnEquals": {"aws:SourceArn": CONFIG_SET_ARN},
    }


def test_event_destination_role_may_only_put_to_that_stream(existing_plan):
    policy = json.loads(existing_plan.values[ROLE_POLICY]["policy"])
    (statement,) = policy["Statement"]
    assert sorted(statement["Action"]) == ["firehose:PutRecord", "firehose:PutRecordBatch"]
    assert statement["Resource"] == FIREHOSE
    assert statement["Effect"] == "Allow"


def test_send_policy_names_exactly_the_identities_and_configuration_set(existing_plan):
    out = output(existing_plan)
    (statement,) = out["send_policy_statements"]
    assert statement == {
        "sid": "SendTextMessage",
        "actions": ["sms-voice:SendTextMessage"],
        "resources": [POOL, PHONE, SENDER, CONFIG_SET_ARN],
    }
    assert out["origination_identity"] == POOL
    assert out["origination_identity_arns"] == [POOL, PHONE, SENDER]
    assert out["configuration_set_name"] == "ajo-sms-test"
    assert out["opt_out_list_name"] == "ajo-sms-test"
    assert out["pinpoint_application_id"] is None


def test_requested_numbers_join_the_opt_out_list(plan_summary):
    summary = plan_summary(
        ROOT,
        phone_numbers={
            "simulator": {"iso_country_code": "US", "number_type": "SIMULATOR"},
            "toll_free": {
                "iso_country_code": "US",
                "number_type": "TOLL_FREE",
                "message_type": "PROMOTIONAL",
            },
        },
        default_origination_identity="simulator",
    )
    assert summary.counts["aws_pinpointsmsvoicev2_phone_number"] == 2
    simulator = summary.values[f'{M}.aws_pinpointsmsvoicev2_phone_number.this["simulator"]']
    toll_free = summary.values[f'{M}.aws_pinpointsmsvoicev2_phone_number.this["toll_free"]']
    assert simulator["number_type"] == "SIMULATOR"
    assert simulator["number_capabilities"] == ["SMS"]
    assert simulator["opt_out_list_name"] == "ajo-sms-test"
    # A simulator number may be released; a real number is protected by default.
    assert simulator["deletion_protection_enabled"] is False
    assert toll_free["deletion_protection_enabled"] is True
    assert toll_free["message_type"] == "PROMOTIONAL"
    # Nothing else is planned when its option is off.
    for address in (DESTINATION, ROLE, ROLE_POLICY, APP, CHANNEL):
        assert address not in summary.values


def test_existing_opt_out_list_and_configuration_set_are_not_created(plan_summary):
    summary = plan_summary(
        ROOT,
        configuration_set={"create": False, "name": "shared-config"},
        opt_out_list={"create": False, "name": "shared-opt-outs"},
        phone_numbers={"sim": {"iso_country_code": "GB", "number_type": "SIMULATOR"}},
        event_destination={"firehose_stream_arn": FIREHOSE, "matching_event_types": ["TEXT_ALL"]},
    )
    assert CONFIG_SET not in summary.values
    assert OPT_OUT not in summary.values
    number = summary.values[f'{M}.aws_pinpointsmsvoicev2_phone_number.this["sim"]']
    assert number["opt_out_list_name"] == "shared-opt-outs"
    destination = summary.values[DESTINATION]
    assert destination["configuration_set_name"] == "shared-config"
    assert destination["matching_event_types"] == ["TEXT_ALL"]
    trust = json.loads(summary.values[ROLE]["assume_role_policy"])
    assert trust["Statement"][0]["Condition"]["ArnEquals"] == {
        "aws:SourceArn": f"{PREFIX}:configuration-set/shared-config"
    }
    assert output(summary)["configuration_set_name"] == "shared-config"
    assert output(summary)["opt_out_list_name"] == "shared-opt-outs"


def test_legacy_pinpoint_app_and_its_send_statement(plan_summary):
    summary = plan_summary(
        ROOT,
        origination_identities={"phone_number_arns": [PHONE]},
        legacy_pinpoint={"enabled": True, "sender_id": "ACME"},
    )
    assert summary.values[APP]["name"] == "ajo-sms-test-legacy"
    assert summary.values[CHANNEL]["enabled"] is True
    assert summary.values[CHANNEL]["sender_id"] == "ACME"
    assert summary.counts["aws_pinpoint_app"] == 1
    assert summary.counts["aws_pinpoint_sms_channel"] == 1


def test_no_legacy_and_no_destination_by_default(plan_summary):
    summary = plan_summary(ROOT)
    assert summary.counts == {
        "aws_pinpointsmsvoicev2_configuration_set": 1,
        "aws_pinpointsmsvoicev2_opt_out_list": 1,
        "modules": 1,
        "resources": 2,
    }
    out = output(summary)
    assert out["origination_identity"] is None
    assert out["event_destination_role_arn"] is None
    # With no identity at all, sends may still name the configuration set.
    assert out["send_policy_statements"][0]["resources"] == [CONFIG_SET_ARN]


def test_event_destination_role_takes_the_path_and_boundary(plan_summary):
    boundary = "arn:aws:iam::123456789012:policy/ajo-sms-boundary"
    summary = plan_summary(
        ROOT,
        origination_identities=EXISTING,
        event_destination={"firehose_stream_arn": FIREHOSE},
        role_path="/ajo-sms/",
        role_permissions_boundary=boundary,
    )
    role = summary.values[ROLE]
    assert (role["path"], role["permissions_boundary"]) == ("/ajo-sms/", boundary)


def test_event_destination_role_defaults_to_the_root_path(existing_plan):
    role = existing_plan.values[ROLE]
    assert (role["path"], role.get("permissions_boundary")) == ("/", None)


def number(country: str, kind: str = "SIMULATOR") -> dict:
    return {"phone_numbers": {"x": {"iso_country_code": country, "number_type": kind}}}


def destination(**fields) -> dict:
    return {"event_destination": {"firehose_stream_arn": FIREHOSE, **fields}}


INVALID = {
    "phone-arn": (
        {"origination_identities": {"phone_number_arns": [f"{PREFIX}:phone-number/+14155550100"]}},
        "not a phone number ARN",
    ),
    "sender-arn": (
        {"origination_identities": {"sender_id_arns": [f"{PREFIX}:sender-id/FAR_TOO_LONG/GB"]}},
        "not a sender ID ARN",
    ),
    "pool-arn": (
        {"origination_identities": {"pool_arns": ["pool-0123456789abcdef0123456789abcdef"]}},
        "not a pool ARN",
    ),
    "event-type": (
        destination(matching_event_types=["TEXT_READ"]),
        "unknown event type(s) TEXT_READ",
    ),
    "firehose-arn": (destination(firehose_stream_arn="arn:aws:s3:::x"), "Firehose stream ARN"),
    "country-alpha3": (number("USA"), "got: USA"),
    "country-unknown": (number("ZZ"), "got: ZZ"),
    "country-lower": (number("us"), "ISO 3166-1"),
    "number-type": (number("US", "SHORT_CODE"), "number_type must be one of"),
    "default-identity": (
        {"default_origination_identity": "nope"},
        "must be a key of phone_numbers",
    ),
    "message-type": (
        {"configuration_set": {"default_message_type": "MARKETING"}},
        "TRANSACTIONAL or PROMOTIONAL",
    ),
    "opt-out-name": ({"opt_out_list": {"create": False}}, "opt_out_list.name is required"),
    "role-path": ({"role_path": "sms"}, 'role_path must be "/" or an IAM path'),
    "role-boundary": (
        {"role_permissions_boundary": "arn:aws:iam::123456789012:role/x"},
        "role_permissions_boundary must be an IAM policy ARN",
    ),
}


@pytest.mark.parametrize(("tf_vars", "message"), INVALID.values(), ids=INVALID.keys())
def test_invalid_inputs_fail_at_plan_with_a_clear_message(planned_root, tf_vars, message):
    error = planned_root(ROOT).plan_error(**tf_vars)
    assert "Invalid value for variable" in error
    assert message in " ".join(error.split()), error[-2000:]
