"""Plan tests of modules/delivery: queues (SSE, redrive, TLS-only), the
delivery table, the dispatcher and its event source mappings (inventories
tftest.yaml: default, kms, tuned), the roles' exact ARNs, the drain-time
check and the input validations."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness.api_gateway import as_list
from harness.terraform import flat, statements

ROOT = "tests/modules/delivery/fixture"
HERE = Path(__file__).parent
ACCOUNT = "123456789012"
SQS = f"arn:aws:sqs:eu-west-1:{ACCOUNT}"
QUEUES = [f"{SQS}:ajo-sms-test-sms-transactional", f"{SQS}:ajo-sms-test-sms-promotional"]
DLQ = f"{SQS}:ajo-sms-test-sms-dlq"
TABLE = f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/ajo-sms-test-delivery"
STREAM = f"arn:aws:firehose:eu-west-1:{ACCOUNT}:deliverystream/ajo-sms-test-sms-events"
KEY = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/0b7a1e3c-1111-2222-3333-444455556666"
M = "module.delivery"
FUNCTION = f"{M}.module.dispatch_function.aws_lambda_function.this"
ROLE_POLICY = f"{M}.module.dispatch_function.aws_iam_role_policy.this"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def default_plan(plan_case):
    return plan_case(HERE, "default")  # tftest.yaml checks it against default.yaml


def test_kms_key_encrypts_queues_table_and_function(plan_case):
    summary = plan_case(HERE, "kms")
    key = statements(summary.values[ROLE_POLICY]["policy"])["QueueAndTableKey"]
    assert as_list(key["Resource"]) == [KEY]
    assert sorted(as_list(key["Action"])) == ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    assert sorted(key["Condition"]["StringEquals"]["kms:ViaService"]) == [
        "dynamodb.eu-west-1.amazonaws.com",
        "sqs.eu-west-1.amazonaws.com",
    ]
    (send_key,) = [s for s in summary.outputs["send_policy_statements"] if s["sid"] == "QueueKey"]
    assert send_key["resources"] == [KEY]


def test_tuned_settings_reach_mappings_and_function(plan_case):
    summary = plan_case(HERE, "tuned")
    env = summary.values[FUNCTION]["environment"][0]["variables"]
    assert "EVENTS_STREAM_NAME" not in env
    assert "PutOutcomes" not in statements(summary.values[ROLE_POLICY]["policy"])


def test_queue_policies_deny_requests_without_tls(default_plan):
    for key, arn in [("transactional", QUEUES[0]), ("promotional", QUEUES[1]), ("dlq", DLQ)]:
        address = "dlq" if key == "dlq" else f'this["{key}"]'
        policy = default_plan.values[f"{M}.module.queues.aws_sqs_queue_policy.{address}"]["policy"]
        deny = statements(policy)["DenyInsecureTransport"]
        assert deny["Effect"] == "Deny"
        assert deny["Principal"] in ("*", {"AWS": "*"})
        assert deny["Action"] == "sqs:*"
        assert deny["Resource"] == arn
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_dispatcher_role_is_scoped_to_exact_arns(default_plan):
    by_sid = statements(default_plan.values[ROLE_POLICY]["policy"])
    consume = by_sid["ConsumeAndRequeue"]
    assert sorted(as_list(consume["Resource"])) == sorted(QUEUES)
    assert sorted(as_list(consume["Action"])) == [
        "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage", "sqs:SendMessage",
    ]  # fmt: skip
    assert as_list(by_sid["DeadLetter"]["Resource"]) == [DLQ]
    assert as_list(by_sid["DeadLetter"]["Action"]) == ["sqs:SendMessage"]
    assert as_list(by_sid["DeliveryRecords"]["Resource"]) == [TABLE]
    assert sorted(as_list(by_sid["DeliveryRecords"]["Action"])) == [
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
    ]  # fmt: skip
    assert as_list(by_sid["SendTextMessage"]["Action"]) == ["sms-voice:SendTextMessage"]
    assert as_list(by_sid["PutOutcomes"]["Resource"]) == [STREAM]
    assert as_list(by_sid["PutOutcomes"]["Action"]) == ["firehose:PutRecordBatch"]
    assert "QueueAndTableKey" not in by_sid  # no customer key given
    every = [r for s in by_sid.values() for r in as_list(s["Resource"])]
    assert not any(r == "*" or (r.endswith(":*") and "log-group" not in r) for r in every)


def test_send_function_gets_enqueue_and_read_only(default_plan):
    by_sid = {s["sid"]: s for s in default_plan.outputs["send_policy_statements"]}
    assert set(by_sid) == {"Enqueue", "ReadDeliveryRecords"}
    assert by_sid["Enqueue"]["actions"] == ["sqs:SendMessage"]
    assert sorted(by_sid["Enqueue"]["resources"]) == sorted(QUEUES)
    assert by_sid["ReadDeliveryRecords"]["actions"] == ["dynamodb:GetItem"]
    assert by_sid["ReadDeliveryRecords"]["resources"] == [TABLE]


def test_dispatcher_runs_the_send_zip(default_plan):
    function = default_plan.values[FUNCTION]
    assert function["filename"].endswith("dist/sms_send.zip")
    assert function["architectures"] == ["arm64"]


def test_no_check_warning_without_a_journey_size(default_plan):
    assert failed_checks(default_plan) == []


def failed_checks(summary) -> list[str]:
    return [
        problem.get("message", "")
        for check in summary.raw.get("checks", [])
        if check.get("status") == "fail"
        for instance in check.get("instances", [])
        for problem in instance.get("problems", [])
    ]


def test_journey_too_big_for_the_validity_warns(plan_summary):
    # 1,000,000 parts at 3 parts/s take 333,334 s (3.9 days) > 14,400 s.
    summary = plan_summary(ROOT, delivery={"mps": 3, "expected_journey_size": 1_000_000})
    (message,) = failed_checks(summary)
    assert "takes 333334 s to drain at 3 parts/s" in message
    assert "delivery.validity_seconds (14400 s)" in message


def test_journey_that_drains_in_time_passes(plan_summary):
    summary = plan_summary(ROOT, delivery={"mps": 3, "expected_journey_size": 43_200})
    assert failed_checks(summary) == []  # exactly 14,400 s


@pytest.mark.parametrize(
    ("delivery", "message"),
    [
        ({"mps": 0}, "delivery.mps must be a whole number"),
        ({"mps": 2.5}, "delivery.mps must be a whole number"),
        ({"mps": 10001}, "delivery.mps must be a whole number"),
        ({"mps": 3, "validity_seconds": 59}, "delivery.validity_seconds must be a whole number"),
        ({"mps": 3, "validity_seconds": 259201}, "delivery.validity_seconds must be a whole"),
        ({"mps": 3, "max_attempts": 0}, "delivery.max_attempts must be a whole number"),
        ({"mps": 3, "promotional_reserve": 3}, "delivery.promotional_reserve must be null"),
        ({"mps": 3, "batch_size": 11}, "delivery.batch_size must be a whole number between 1"),
        ({"mps": 3, "maximum_concurrency": 1}, "delivery.maximum_concurrency must be a whole"),
        ({"mps": 3, "expected_journey_size": 0}, "delivery.expected_journey_size must be null"),
    ],
)
def test_bad_delivery_settings_fail_at_plan_time(planned_root, delivery, message):
    assert message in flat(planned_root(ROOT).plan_error(delivery=delivery))


def test_function_timeout_bounded(planned_root):
    error = planned_root(ROOT).plan_error(function={"timeout": 20})
    assert "function.timeout must be between 30 and 900 seconds" in flat(error)
