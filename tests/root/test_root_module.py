"""Plan tests of the root module: wiring, secrets, outputs, validation."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from harness.terraform import REPO
from root.inputs import BASE, POOL

pytestmark = pytest.mark.slow
SQS = "https://sqs.us-east-1.amazonaws.com/123456789012"
SEND = "module.ajo_sms.module.send_function"
DISPATCH = "module.ajo_sms.module.delivery[0].module.dispatch_function"


@pytest.fixture(scope="module")
def default_plan(plan_module):
    return plan_module(**BASE)


def test_api_key_never_in_plan(default_plan):
    version = default_plan.values["module.ajo_sms.aws_secretsmanager_secret_version.api_key[0]"]
    assert version.get("secret_string") in (None, "")
    assert version.get("secret_string_wo") is None  # write-only: never recorded
    assert version["secret_string_wo_version"] == 1
    # No value of the generated password, nor any secret string, anywhere in the plan.
    assert not list(_secret_values(default_plan.raw))


def _secret_values(node):
    if isinstance(node, dict):
        for key, value in node.items():
            # Sensitivity and unknown markers are booleans; a leak is a string.
            secret = key in {"random_password", "secret_string", "secret_string_wo"}
            if secret and isinstance(value, str) and value:
                yield key
            yield from _secret_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from _secret_values(item)


def test_send_function_gets_the_contract_environment(default_plan):
    function = default_plan.values["module.ajo_sms.module.send_function.aws_lambda_function.this"]
    env = function["environment"][0]["variables"]
    assert env == {
        "SMS_API": "v2",
        "CONFIGURATION_SET_NAME": "ajo-sms",
        "DEFAULT_ORIGINATION_IDENTITY": POOL,
        "DEFAULT_COUNTRY": "US",
        "DEFAULT_MESSAGE_TYPE": "TRANSACTIONAL",
        "IDEMPOTENCY_TABLE": "ajo-sms-idempotency",
        "UNKNOWN_OUTCOME": "at_most_once",
        "DEFAULT_DELIVERY": "queued",
        "QUEUE_URL_TRANSACTIONAL": f"{SQS}/ajo-sms-sms-transactional",
        "QUEUE_URL_PROMOTIONAL": f"{SQS}/ajo-sms-sms-promotional",
        "DELIVERY_TABLE": "ajo-sms-delivery",
        "VALIDITY_SECONDS": "14400",
        "METRICS_NAMESPACE": "AjoSms",  # the EMF metrics of its log lines
        "CHANNELS": "SMS",  # no other channel unless `channels` turns it on
    }
    assert function["filename"].endswith("dist/sms_send.zip")
    assert function["architectures"] == ["arm64"]


def test_unknown_outcome_reaches_the_send_function(plan_module):
    summary = plan_module(**BASE, functions={"send": {"unknown_outcome": "at_least_once"}})
    function = summary.values["module.ajo_sms.module.send_function.aws_lambda_function.this"]
    assert function["environment"][0]["variables"]["UNKNOWN_OUTCOME"] == "at_least_once"


def test_idempotency_table_matches_the_contract(default_plan):
    table = default_plan.values["module.ajo_sms.aws_dynamodb_table.idempotency[0]"]
    assert table["hash_key"] == "id"
    assert table["attribute"] == [{"name": "id", "type": "S"}]
    assert table["ttl"] == [{"attribute_name": "expiration", "enabled": True}]
    assert table["server_side_encryption"][0]["enabled"] is True


def test_ajo_custom_action_output(default_plan):
    action = default_plan.outputs["ajo_custom_action"]
    assert action["method"] == "POST"
    assert action["headers"] == [
        {"name": "x-api-key", "type": "Constant", "value": action["headers"][0]["value"]}
    ]
    fields = {f["name"]: f for f in action["payload_fields"]}
    assert fields["destinationNumber"]["optional"] is False
    assert fields["message"]["optional"] is False
    assert fields["idempotencyKey"]["type"] == "Variable"
    assert set(action["request_payload_sample"]) <= set(fields)
    assert action["response_payload_sample"]["status"] == "SENT"
    assert fields["delivery"]["type"] == "Constant" and fields["delivery"]["optional"] is True
    assert action["request_payload_sample"]["delivery"] == "queued"
    queued = action["queued_response_payload_sample"]
    assert queued["status"] == "QUEUED" and len(queued["trackingId"]) == 32
    assert set(queued) == {
        "status", "trackingId", "destinationNumber", "segments", "encoding", "idempotentReplay",
    }  # fmt: skip
    assert action["failure_response_sample"]["error"]["code"] == "INVALID_PHONE_NUMBER"
    assert set(action["failure_response_sample"]) == {"status", "error", "requestId"}


def test_legacy_v1_sends_through_the_pinpoint_app(plan_module):
    summary = plan_module(
        name="ajo-sms", sms={"api": "v1"}, event_export={"enabled": False}, delivery={"mps": 10}
    )
    (change,) = [
        c["change"]
        for c in summary.raw["resource_changes"]
        if c["address"] == "module.ajo_sms.module.send_function.aws_lambda_function.this"
    ]
    # The provider plans a map with one unknown value (the app's ID) as wholly
    # unknown; the e2e and unit tests cover the v1 variables themselves.
    assert change["after_unknown"]["environment"] == [{"variables": True}]
    assert summary.counts["aws_pinpoint_app"] == 1
    assert summary.counts["aws_pinpoint_sms_channel"] == 1


def test_optional_features_off_plan_nothing(plan_module):
    summary = plan_module(
        **{**BASE, "delivery": {"mode": "direct"}},
        idempotency={"enabled": False},
        event_export={"enabled": False},
    )
    assert "aws_dynamodb_table" not in summary.counts
    assert "aws_sqs_queue" not in summary.counts
    assert "aws_lambda_event_source_mapping" not in summary.counts
    assert "aws_kinesis_firehose_delivery_stream" not in summary.counts
    assert "aws_pinpointsmsvoicev2_event_destination" not in summary.counts
    env = summary.values["module.ajo_sms.module.send_function.aws_lambda_function.this"][
        "environment"
    ][0]["variables"]
    assert "IDEMPOTENCY_TABLE" not in env
    assert env["DEFAULT_DELIVERY"] == "direct"
    assert not {"QUEUE_URL_TRANSACTIONAL", "DELIVERY_TABLE"} & set(env)
    assert summary.outputs["delivery_table_name"] is None


def test_prebuilt_packages_replace_the_shipped_zips(plan_module, tmp_path):
    """A pipeline's own zips (`functions.packages`) are deployed as given."""
    shipped = REPO / "dist" / "sms_send.zip"
    own = tmp_path / "sms_send-x86.zip"
    own.write_bytes(shipped.read_bytes() + b"\0")  # a different build, still a zip
    summary = plan_module(**BASE, functions={"packages": {"sms_send": str(own)}})
    send = summary.values["module.ajo_sms.module.send_function.aws_lambda_function.this"]
    digest = base64.b64encode(hashlib.sha256(own.read_bytes()).digest()).decode()
    assert send["filename"] == str(own)
    assert send["source_code_hash"] == digest
    authorizer = summary.values[
        "module.ajo_sms.module.authorizer_function.aws_lambda_function.this"
    ]
    assert authorizer["filename"].endswith("dist/authorizer.zip")  # the others stay shipped


def test_existing_api_key_secret_creates_none(plan_module):
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ajo-key-AbCdEf"
    summary = plan_module(**BASE, api_key={"existing_secret_arn": arn})
    assert "aws_secretsmanager_secret" not in summary.counts
    authorizer = summary.values[
        "module.ajo_sms.module.authorizer_function.aws_lambda_function.this"
    ]
    assert authorizer["environment"][0]["variables"]["API_KEY_SECRET_ARN"] == arn
    assert summary.outputs["api_key_secret_arn"] == arn


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"name": "AJO_sms"}, "name must be 3-40 characters"),
        ({"auth_header_name": "Authorization"}, "auth_header_name must be an HTTP header token"),
        ({"sms": {"api": "v3"}}, 'sms.api must be "v2"'),
        ({"sms": {"default_country": "usa"}}, "sms.default_country must be an ISO 3166-1"),
        ({"kms_key_arn": "alias/mine"}, "kms_key_arn must be a KMS key ARN"),
        (
            {"api": {"throttling_rate_limit": 500, "throttling_burst_limit": 100}},
            "throttling_burst_limit at least the rate limit",
        ),
        ({"functions": {"send": {"timeout": 60}}}, "functions.send.timeout must be 3-29 seconds"),
        (
            {"functions": {"send": {"unknown_outcome": "exactly_once"}}},
            "functions.send.unknown_outcome must be at_most_once",
        ),
        ({"api_key": {"existing_secret_arn": "secret"}}, "existing_secret_arn must be a Secrets"),
        ({"delivery": {"mode": "paced", "mps": 3}}, 'delivery.mode must be "queued"'),
        ({"delivery": {}}, 'delivery.mps is required when delivery.mode is "queued"'),
        ({"delivery": {"mps": 0}}, "delivery.mps must be a whole number"),
        ({"delivery": {"mps": 1.5}}, "delivery.mps must be a whole number"),
        ({"delivery": {"mps": 20000}}, "delivery.mps must be a whole number"),
        ({"delivery": {"mps": 3, "validity_seconds": 30}}, "delivery.validity_seconds must be"),
        ({"delivery": {"mps": 3, "validity_seconds": 259201}}, "delivery.validity_seconds must"),
        ({"delivery": {"mps": 3, "max_attempts": 0}}, "delivery.max_attempts must be a whole"),
        ({"delivery": {"mps": 3, "promotional_reserve": 5}}, "delivery.promotional_reserve must"),
        ({"delivery": {"mps": 3, "batch_size": 0}}, "delivery.batch_size must be a whole"),
        ({"delivery": {"mps": 3, "maximum_concurrency": 1}}, "delivery.maximum_concurrency must"),
        ({"delivery": {"mode": "direct", "batch_size": 20}}, "delivery.batch_size must be a"),
    ],
)
def test_bad_inputs_fail_at_plan_time(plan_module_error, inputs, message):
    error = plan_module_error(**{**BASE, **inputs})
    assert message in " ".join(error.split())


def test_queued_default_builds_the_delivery_path(default_plan):
    values = default_plan.values
    dispatch = values[f"{DISPATCH}.aws_lambda_function.this"]
    assert dispatch["function_name"] == "ajo-sms-sms-dispatch"
    assert dispatch["handler"] == "dispatcher.handler"
    # The same zip as the send function: one code version on both ends of a queue.
    assert dispatch["filename"] == values[f"{SEND}.aws_lambda_function.this"]["filename"]
    env = dispatch["environment"][0]["variables"]
    assert env["SMS_API"] == "v2" and env["CONFIGURATION_SET_NAME"] == "ajo-sms"
    assert env["MPS"] == "3" and env["EVENTS_STREAM_NAME"] == "ajo-sms-sms-events"
    assert env["DLQ_URL"] == f"{SQS}/ajo-sms-sms-dlq"
    assert default_plan.counts["aws_sqs_queue"] == 3  # + no AEP forwarder queues by default
    assert default_plan.counts["aws_lambda_event_source_mapping"] == 2
    assert default_plan.outputs["delivery_table_name"] == "ajo-sms-delivery"
    assert default_plan.outputs["delivery_dispatch_function_name"] == "ajo-sms-sms-dispatch"
    assert default_plan.outputs["delivery_redrive_command"] == (
        "aws sqs start-message-move-task --source-arn "
        "'arn:aws:sqs:us-east-1:123456789012:ajo-sms-sms-dlq'"
    )


def test_send_role_may_enqueue_and_read_tracking_records_only(default_plan, plan_module):
    # Without the idempotency table (its ARN is known only after apply) the
    # send role's policy is wholly known at plan.
    summary = plan_module(**BASE, idempotency={"enabled": False})
    policy = json.loads(summary.values[f"{SEND}.aws_iam_role_policy.this"]["policy"])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["Enqueue"]["Action"] == "sqs:SendMessage"
    assert sorted(by_sid["Enqueue"]["Resource"]) == [
        "arn:aws:sqs:us-east-1:123456789012:ajo-sms-sms-promotional",
        "arn:aws:sqs:us-east-1:123456789012:ajo-sms-sms-transactional",
    ]
    assert by_sid["ReadDeliveryRecords"] == {
        "Sid": "ReadDeliveryRecords",
        "Effect": "Allow",
        "Action": "dynamodb:GetItem",
        "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/ajo-sms-delivery",
    }
    dispatch = json.loads(default_plan.values[f"{DISPATCH}.aws_iam_role_policy.this"]["policy"])
    sids = {s["Sid"] for s in dispatch["Statement"]}
    assert {"SendTextMessage", "ConsumeAndRequeue", "DeadLetter", "PutOutcomes"} <= sids


def test_direct_mode_with_mps_keeps_the_queues(plan_module):
    summary = plan_module(**{**BASE, "delivery": {"mode": "direct", "mps": 3}})
    env = summary.values[f"{SEND}.aws_lambda_function.this"]["environment"][0]["variables"]
    assert env["DEFAULT_DELIVERY"] == "direct"
    assert env["QUEUE_URL_TRANSACTIONAL"] == f"{SQS}/ajo-sms-sms-transactional"
    assert summary.counts["aws_lambda_event_source_mapping"] == 2
    assert summary.outputs["ajo_custom_action"]["request_payload_sample"]["delivery"] == "direct"


def test_kms_key_reaches_queues_and_both_roles(plan_module):
    key = "arn:aws:kms:us-east-1:123456789012:key/0b7a1e3c-1111-2222-3333-444455556666"
    summary = plan_module(**BASE, kms_key_arn=key, idempotency={"enabled": False})
    prefix = "module.ajo_sms.module.delivery[0]"
    for queue in ('this["transactional"]', 'this["promotional"]', "dlq"):
        assert (
            summary.values[f"{prefix}.module.queues.aws_sqs_queue.{queue}"]["kms_master_key_id"]
            == key
        )
    send = json.loads(summary.values[f"{SEND}.aws_iam_role_policy.this"]["policy"])
    (queue_key,) = [s for s in send["Statement"] if s["Sid"] == "QueueKey"]
    assert queue_key["Resource"] == key
