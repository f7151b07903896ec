"""Plan tests of modules/queue: queue policies (only the publisher sends, only
over TLS; the DLQ takes nothing but SQS's redrives), the mappings
(tftest.yaml: default, kms), and the input validations."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness.terraform import flat, statements

ROOT = "tests/modules/queue/fixture"
HERE = Path(__file__).parent
SQS = "arn:aws:sqs:eu-west-1:123456789012"
M = "module.queue"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def default_plan(plan_case):
    return plan_case(HERE, "default")


def test_only_the_publisher_sends_and_only_over_tls(default_plan):
    for key in ("first", "second"):
        policy = statements(
            default_plan.values[f'{M}.aws_sqs_queue_policy.this["{key}"]']["policy"]
        )
        assert set(policy) == {"TopicDelivers", "DenyInsecureTransport"}
        send = policy["TopicDelivers"]
        assert send["Principal"] == {"Service": "sns.amazonaws.com"}
        assert (send["Action"], send["Resource"]) == (
            "sqs:SendMessage",
            f"{SQS}:ajo-sms-test-{key}",
        )
        assert send["Condition"] == {
            "ArnEquals": {"aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:ajo-sms-test-topic"},
            "StringEquals": {"aws:SourceAccount": "123456789012"},
        }
        deny = policy["DenyInsecureTransport"]
        assert (deny["Effect"], deny["Action"]) == ("Deny", "sqs:*")
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    dlq = statements(default_plan.values[f"{M}.aws_sqs_queue_policy.dlq"]["policy"])
    assert set(dlq) == {"DenyInsecureTransport"}
    assert dlq["DenyInsecureTransport"]["Resource"] == f"{SQS}:ajo-sms-test-dlq"


def test_without_a_publisher_only_tls_is_stated(plan_case):
    summary = plan_case(HERE, "no_publisher")
    policy = statements(summary.values[f'{M}.aws_sqs_queue_policy.this["first"]']["policy"])
    assert set(policy) == {"DenyInsecureTransport"}


INVALID = {
    "dlq-key": (
        {"queues": {"dlq": "ajo-sms-test-x"}},
        'queues must name at least one queue, and none under the key "dlq"',
    ),
    "no-queue": ({"queues": {}}, "queues must name at least one queue"),
    "fifo-name": (
        {"queues": {"first": "ajo-sms-test.fifo"}},
        "each queue name must be 1-80 letters, digits, '-' or '_'",
    ),
    "receive-count": ({"max_receive_count": 0}, "max_receive_count must be a whole number"),
    "concurrency": (
        {
            "consumer": {
                "function_arn": "arn:aws:lambda:eu-west-1:123456789012:function:f",
                "timeout": 30,
                "batch_size": 10,
                "maximum_concurrency": 1,
            }
        },
        "consumer.maximum_concurrency must be from 2 to 1000",
    ),
}


@pytest.mark.parametrize(("inputs", "message"), INVALID.values(), ids=INVALID.keys())
def test_bad_inputs_fail_at_plan_time(planned_root, inputs, message):
    assert message in flat(planned_root(ROOT).plan_error(**inputs))
