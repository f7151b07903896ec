"""Plan tests of modules/function: what one packaged Lambda gets, and what it
does not (least privilege, nothing unmanaged)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

ROOT = "tests/modules/function/fixture"
HERE = Path(__file__).parent
PACKAGE = HERE.parents[2] / "dist" / "authorizer.zip"  # the fixture's package
LAMBDA = "module.function.aws_lambda_function.this"
ROLE = "module.function.aws_iam_role.this"
POLICY = "module.function.aws_iam_role_policy.this"
LOG_GROUP = "module.function.aws_cloudwatch_log_group.this"
LOG_GROUP_ARN = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/ajo-sms-test"
SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ajo-sms/api-key-AbCdEf"
KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/0b7a1e3c-1111-2222-3333-444455556666"

pytestmark = pytest.mark.slow


def statements(summary) -> dict[str, dict]:
    policy = json.loads(summary.values[POLICY]["policy"])
    return {s["Sid"]: s for s in policy["Statement"]}


@pytest.fixture(scope="module")
def default_plan(plan_case):
    return plan_case(HERE, "default")  # tftest.yaml checks it against default.yaml


def test_function_settings(default_plan):
    digest = base64.b64encode(hashlib.sha256(PACKAGE.read_bytes()).digest()).decode()
    function = default_plan.values[LAMBDA]
    assert function["function_name"] == "ajo-sms-test"
    assert function["runtime"] == "python3.13"
    assert function["handler"] == "handler.handler"
    assert function["architectures"] == ["arm64"]
    assert function["source_code_hash"] == digest
    assert function["reserved_concurrent_executions"] == -1  # unreserved
    assert not function.get("tracing_config")  # computed block: absent or empty
    assert function["environment"] == [{"variables": {"API_KEY_SECRET_ARN": SECRET_ARN}}]
    assert function["logging_config"][0]["log_format"] == "JSON"
    assert function["logging_config"][0]["log_group"] == "/aws/lambda/ajo-sms-test"
    assert function["tags"] == {"project": "ajo-sms", "test": "function"}


def test_log_group_has_retention_and_is_the_functions_own(default_plan):
    group = default_plan.values[LOG_GROUP]
    assert group["name"] == "/aws/lambda/ajo-sms-test"
    assert group["retention_in_days"] == 30
    assert group["kms_key_id"] is None


def test_role_trusts_lambda_from_this_account_only(default_plan):
    trust = json.loads(default_plan.values[ROLE]["assume_role_policy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


def test_role_policy_is_least_privilege(default_plan):
    found = statements(default_plan)
    assert set(found) == {"WriteOwnLogs", "ReadApiKey"}
    assert found["WriteOwnLogs"]["Resource"] == f"{LOG_GROUP_ARN}:*"
    assert sorted(found["WriteOwnLogs"]["Action"]) == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert found["ReadApiKey"] == {
        "Sid": "ReadApiKey",
        "Effect": "Allow",
        "Action": "secretsmanager:GetSecretValue",
        "Resource": SECRET_ARN,
    }
    # No wildcard resource anywhere without tracing.
    assert all(s["Resource"] != "*" for s in found.values())


def test_tracing_adds_xray_only_when_enabled(plan_summary):
    summary = plan_summary(ROOT, tracing_mode="Active")
    assert summary.values[LAMBDA]["tracing_config"] == [{"mode": "Active"}]
    xray = statements(summary)["WriteTraces"]
    assert sorted(xray["Action"]) == ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]


def test_kms_key_encrypts_logs_and_environment(plan_summary):
    summary = plan_summary(
        ROOT,
        kms_key_arn=KMS_KEY,
        reserved_concurrency=5,
        architecture="x86_64",
        log_retention_days=365,
    )
    assert summary.values[LOG_GROUP]["kms_key_id"] == KMS_KEY
    assert summary.values[LOG_GROUP]["retention_in_days"] == 365
    function = summary.values[LAMBDA]
    assert function["kms_key_arn"] == KMS_KEY
    assert function["reserved_concurrent_executions"] == 5
    assert function["architectures"] == ["x86_64"]
    decrypt = statements(summary)["DecryptEnvironment"]
    assert (decrypt["Action"], decrypt["Resource"]) == ("kms:Decrypt", KMS_KEY)


def test_role_path_and_permissions_boundary(plan_summary):
    boundary = "arn:aws:iam::123456789012:policy/ajo-sms-boundary"
    summary = plan_summary(
        ROOT,
        role_path="/ajo-sms/",
        role_permissions_boundary=boundary,
        memory_size=1024,
        timeout=900,
    )
    role = summary.values[ROLE]
    assert (role["path"], role["permissions_boundary"]) == ("/ajo-sms/", boundary)
    function = summary.values[LAMBDA]
    assert (function["memory_size"], function["timeout"]) == (1024, 900)


def test_default_role_has_the_root_path_and_no_boundary(default_plan):
    role = default_plan.values[ROLE]
    assert role["path"] == "/"
    assert role.get("permissions_boundary") is None


@pytest.mark.parametrize(
    ("tf_vars", "message"),
    [
        ({"memory_size": 64}, "memory_size must be a whole number of MB between 128 and 10240"),
        ({"memory_size": 10241}, "memory_size must be a whole number of MB between 128 and 10240"),
        ({"memory_size": 256.5}, "memory_size must be a whole number of MB between 128 and 10240"),
        ({"timeout": 0}, "timeout must be a whole number of seconds between 1 and 900"),
        ({"timeout": 901}, "timeout must be a whole number of seconds between 1 and 900"),
        ({"reserved_concurrency": 1.5}, "reserved_concurrency must be null or a whole number"),
        ({"role_path": "ajo-sms/"}, 'role_path must be "/" or an IAM path'),
        ({"role_path": "/a b/"}, 'role_path must be "/" or an IAM path'),
        ({"role_permissions_boundary": "ajo-boundary"}, "role_permissions_boundary must be an IAM"),
        ({"architecture": "sparc"}, 'architecture must be "arm64" or "x86_64"'),
        ({"log_retention_days": 2}, "log_retention_days must be a CloudWatch Logs retention value"),
        ({"tracing_mode": "On"}, 'tracing_mode must be null, "Active" or "PassThrough"'),
        ({"reserved_concurrency": -1}, "reserved_concurrency must be null or a whole number"),
        ({"name": "has space"}, "name must be 1-64 characters"),
        ({"kms_key_arn": "alias/aws/lambda"}, "kms_key_arn must be a KMS key ARN"),
        (
            {"policy_statements": [{"actions": ["*"], "resources": ["*"]}]},
            'an action of "*" is not allowed',
        ),
    ],
)
def test_invalid_inputs_are_refused_with_a_clear_message(planned_root, tf_vars, message):
    error = planned_root(ROOT).plan_error(**tf_vars)
    assert message in re.sub(r"[│\s]+", " ", error)
