"""Plan tests of modules/event_export's cross-cutting inputs: one KMS key and
X-Ray tracing for everything it creates, the IAM path and permissions boundary
on every role, and plan-time bounds on every number."""

from __future__ import annotations

import json

import pytest

ROOT = "tests/modules/event_export/fixture"
M = "module.event_export"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/0b7a1e3c-1111-2222-3333-444455556666"
BOUNDARY = "arn:aws:iam::123456789012:policy/ajo-sms-boundary"
SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ajo-sms/aep-AbCdEf"
# A valid AEP forwarding configuration (as in test_event_export_plan.py).
AEP = {
    "enabled": True,
    "inlet_url": "https://dcs.adobedc.net/collection/batch/0123456789abcdef",
    "ims_org_id": "ABCDEF0123456789@AdobeOrg",
    "dataset_id": "0123456789abcdef01234567",
    "schema_id": "https://ns.adobe.com/acme/schemas/0123456789abcdef",
}
FUNCTION = f"{M}.module.aep_function[0]"
LOG_GROUPS = [f"{M}.aws_cloudwatch_log_group.firehose", f"{FUNCTION}.aws_cloudwatch_log_group.this"]
QUEUES = [
    f'{M}.module.forwarder_queue[0].aws_sqs_queue.this["notifications"]',
    f"{M}.module.forwarder_queue[0].aws_sqs_queue.dlq",
]
ROLES = [f"{M}.aws_iam_role.firehose", f"{FUNCTION}.aws_iam_role.this"]

pytestmark = pytest.mark.slow


def statements(summary) -> dict[str, dict]:
    document = json.loads(summary.values[f"{FUNCTION}.aws_iam_role_policy.this"]["policy"])
    return {s.get("Sid", ""): s for s in document["Statement"]}


@pytest.fixture(scope="module")
def aep(forwarder_zip) -> dict:
    # A given secret: with one created here, its ARN (in the environment, so
    # the environment's key and the role policy) is known only after apply.
    return {**AEP, "package": {"filename": forwarder_zip[0]}, "secret_arn": SECRET}


@pytest.fixture(scope="module")
def guarded_plan(plan_summary, aep):
    return plan_summary(
        ROOT,
        bucket={"encryption": {"kms_key_arn": KEY}},  # a module-made key: policy known after apply
        kms_key_arn=KEY,
        tracing_mode="Active",
        role_path="/ajo-sms/",
        role_permissions_boundary=BOUNDARY,
        aep_forwarding=aep,
    )


def test_one_key_encrypts_both_log_groups_the_queues_and_the_forwarder(guarded_plan):
    for address in LOG_GROUPS:
        assert guarded_plan.values[address]["kms_key_id"] == KEY, address
    for address in QUEUES:
        queue = guarded_plan.values[address]
        assert queue["kms_master_key_id"] == KEY, address
        assert not queue.get("sqs_managed_sse_enabled"), address  # the two conflict
    assert guarded_plan.values[f"{FUNCTION}.aws_lambda_function.this"]["kms_key_arn"] == KEY
    # The event source mapping reads the encrypted queue with the function's role.
    decrypt = statements(guarded_plan)["DecryptEnvironment"]
    assert (decrypt["Action"], decrypt["Resource"]) == ("kms:Decrypt", KEY)


def test_tracing_reaches_the_forwarder(guarded_plan):
    function = guarded_plan.values[f"{FUNCTION}.aws_lambda_function.this"]
    assert function["tracing_config"] == [{"mode": "Active"}]
    assert "WriteTraces" in statements(guarded_plan)


def test_every_role_gets_the_path_and_the_boundary(guarded_plan):
    roles = [a for a in guarded_plan.values if ".aws_iam_role." in a]
    assert sorted(roles) == sorted(ROLES)
    for address in roles:
        role = guarded_plan.values[address]
        assert (role["path"], role["permissions_boundary"]) == ("/ajo-sms/", BOUNDARY), address


def test_without_a_key_queues_use_sqs_managed_encryption_and_roles_the_root_path(plan_summary, aep):
    summary = plan_summary(ROOT, aep_forwarding=aep)
    for address in LOG_GROUPS:
        assert summary.values[address].get("kms_key_id") is None, address
    for address in QUEUES:
        assert summary.values[address]["sqs_managed_sse_enabled"] is True, address
        assert summary.values[address].get("kms_master_key_id") is None, address
    for address in ROLES:
        assert summary.values[address]["path"] == "/", address
        assert summary.values[address].get("permissions_boundary") is None, address
    assert not summary.values[f"{FUNCTION}.aws_lambda_function.this"].get("tracing_config")


def aep_with(**fields) -> dict:
    return {"aep_forwarding": {**AEP, "package": {"filename": "f.zip"}, **fields}}


# A plan reports one failed rule per variable, so a case sets at most one bad
# value per variable; values of different variables may share a plan.
INVALID = {
    "noncurrent-days+memory": (
        {"bucket": {"noncurrent_expiration_days": 1.5}, **aep_with(memory_size=100)},
        [
            "bucket.noncurrent_expiration_days must be a whole number of days, at least 1",
            "aep_forwarding.memory_size must be a whole number of MB, 128-10240",
        ],
    ),
    "buffering-size+retention": (
        {"delivery": {"buffering_size": 2.5}, **aep_with(log_retention_days=45)},
        [
            "delivery.buffering_size must be a whole number of MiB, 1-128",
            "aep_forwarding.log_retention_days must be a CloudWatch Logs retention value",
        ],
    ),
    "buffering-interval+timeout": (
        {"delivery": {"buffering_interval": 1000}, **aep_with(timeout=60.5)},
        [
            "delivery.buffering_interval must be a whole number of seconds, 0-900",
            "aep_forwarding.timeout must be a whole number of seconds, 30-900",
        ],
    ),
    "buffering-fraction+batch": (
        {"delivery": {"buffering_interval": 1.5}, **aep_with(batch_max_events=1.5)},
        [
            "delivery.buffering_interval must be a whole number of seconds, 0-900",
            "aep_forwarding.batch_max_events must be a whole number, 1-500",
        ],
    ),
    "year+attempts": (
        {"glue": {"projection_start_year": 2025.5}, **aep_with(max_attempts=11)},
        [
            "glue.projection_start_year must be a year between 2020 and 2100",
            "aep_forwarding.max_attempts must be a whole number, 1-10",
        ],
    ),
    "key+sqs-batch": (
        {"kms_key_arn": "alias/ajo-sms", **aep_with(sqs_batch_size=0)},
        [
            "kms_key_arn must be a KMS key ARN",
            "aep_forwarding.sqs_batch_size must be a whole number, 1-10",
        ],
    ),
    "tracing+receive-count+path": (
        {"tracing_mode": "On", "role_path": "ajo-sms", **aep_with(max_receive_count=2.5)},
        [
            'tracing_mode must be null, "Active" or "PassThrough"',
            'role_path must be "/" or an IAM path',
            "aep_forwarding.max_receive_count must be a whole number, 1-100",
        ],
    ),
    "boundary": (
        {"role_permissions_boundary": "ajo-sms-boundary"},
        ["role_permissions_boundary must be an IAM policy ARN"],
    ),
}


@pytest.mark.parametrize(("tf_vars", "messages"), INVALID.values(), ids=INVALID.keys())
def test_bad_values_fail_at_plan_each_with_its_message(planned_root, tf_vars, messages):
    error = " ".join(planned_root(ROOT).plan_error(**tf_vars).replace("│", " ").split())
    missing = [m for m in messages if m not in error]
    assert missing == [], error[-3000:]
