"""Plan tests of modules/topic: the key and topic policies admit the one
publisher (tftest.yaml: default, given_key), and the input validations."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness.terraform import flat, statements

ROOT = "tests/modules/topic/fixture"
HERE = Path(__file__).parent
ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:eu-west-1:{ACCOUNT}:ajo-sms-test-topic"
NUMBERS = f"arn:aws:sms-voice:eu-west-1:{ACCOUNT}:phone-number/*"
M = "module.topic"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def default_plan(plan_case):
    return plan_case(HERE, "default")


def test_only_the_publisher_may_publish_from_its_sources(default_plan):
    policy = statements(default_plan.values[f"{M}.aws_sns_topic_policy.this"]["policy"])
    assert set(policy) == {"SmsVoicePublish"}  # SNS's default policy is replaced
    publish = policy["SmsVoicePublish"]
    assert publish["Principal"] == {"Service": "sms-voice.amazonaws.com"}
    assert (publish["Action"], publish["Resource"]) == ("sns:Publish", TOPIC)
    assert publish["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": NUMBERS},
    }


def test_the_key_admits_the_publisher_and_delegates_to_iam(default_plan):
    key = statements(default_plan.values[f"{M}.aws_kms_key.this[0]"]["policy"])
    assert set(key) == {"AccountAdministers", "SmsVoicePublish"}
    assert key["AccountAdministers"]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    publish = key["SmsVoicePublish"]
    assert sorted(publish["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert publish["Condition"]["ArnLike"] == {"aws:SourceArn": NUMBERS}


def test_a_key_that_checks_the_account_only(plan_summary):
    publisher = {
        "service": "sms-voice.amazonaws.com",
        "sid": "SmsVoicePublish",
        "source_arns": [NUMBERS],
        "key_checks_source_arn": False,
    }
    summary = plan_summary(ROOT, publisher=publisher)
    key = statements(summary.values[f"{M}.aws_kms_key.this[0]"]["policy"])
    assert key["SmsVoicePublish"]["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    topic = statements(summary.values[f"{M}.aws_sns_topic_policy.this"]["policy"])
    assert topic["SmsVoicePublish"]["Condition"]["ArnLike"] == {"aws:SourceArn": NUMBERS}


def test_owner_access_keeps_what_the_default_policy_grants_the_account(plan_case):
    summary = plan_case(HERE, "given_key")
    policy = statements(summary.values[f"{M}.aws_sns_topic_policy.this"]["policy"])
    assert set(policy) == {"AccountManages", "SmsVoicePublish"}
    manages = policy["AccountManages"]
    assert manages["Condition"] == {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}
    assert manages["Resource"] == TOPIC


INVALID = {
    "service-not-a-principal": (
        {"publisher": {"service": "sms-voice", "sid": "Publish"}},
        "publisher.service must be an AWS service principal",
    ),
    "sid-with-dash": (
        {"publisher": {"service": "sns.amazonaws.com", "sid": "my-sid"}},
        "publisher.sid must be 1-128 letters or digits",
    ),
    "key-not-an-arn": ({"kms_key_arn": "alias/mine"}, "kms_key_arn must be a KMS key ARN"),
}


@pytest.mark.parametrize(("inputs", "message"), INVALID.values(), ids=INVALID.keys())
def test_bad_inputs_fail_at_plan_time(planned_root, inputs, message):
    assert message in flat(planned_root(ROOT).plan_error(**inputs))
