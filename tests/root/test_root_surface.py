"""Plan tests of what the root passes on: every submodule field a root user
sets reaches its resource, one KMS key and the tracing mode reach everything
they promise, the IAM path and boundary reach every role, numbers are bounded
at plan time, and the ARNs users need are outputs."""

from __future__ import annotations

import json

import pytest
from root.inputs import ACCOUNT, BASE

pytestmark = pytest.mark.slow
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0b7a1e3c-1111-2222-3333-444455556666"
FIREHOSE_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/11111111-2222-3333-4444-555555555555"
SECRET_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/22222222-3333-4444-5555-666666666666"
SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ajo-sms/aep-AbCdEf"
BOUNDARY = f"arn:aws:iam::{ACCOUNT}:policy/ajo-sms-boundary"
AEP = {
    "enabled": True,
    "inlet_url": "https://dcs.adobedc.net/collection/batch/0123456789abcdef",
    "ims_org_id": "ABCDEF0123456789@AdobeOrg",
    "dataset_id": "0123456789abcdef01234567",
    "schema_id": "https://ns.adobe.com/acme/schemas/0123456789abcdef",
}
# Every field the root used to drop, set to a non-default value.
EVERYTHING = {
    **BASE,
    "kms_key_arn": KEY,
    "iam": {"role_path": "/ajo-sms/", "role_permissions_boundary": BOUNDARY},
    "api": {"manage_account_cloudwatch_role": True},
    "functions": {"tracing_mode": "Active", "log_retention_days": 90},
    "event_export": {
        "delivery": {
            "prefix": "sms/",
            "error_prefix": "sms-errors/",
            "firehose_kms_key_arn": FIREHOSE_KEY,
            "log_retention_days": 14,
        },
        "glue": {
            "enabled": True,
            "create_database": False,
            "database_name": "analytics",
            "table_name": "sms",
            "projection_start_year": 2026,
        },
        "aep_forwarding": {
            **AEP,
            # Given, so the forwarder's environment and policy are known at plan.
            "secret_arn": SECRET,
            "secret_kms_key_arn": SECRET_KEY,
            "schema_content_type": "application/vnd.adobe.xed+json",
            "source_name": "acme-sms",
            "batch_max_events": 50,
            "max_attempts": 3,
            "timeout": 60,
            "memory_size": 512,
            "sqs_batch_size": 2,
            "max_receive_count": 7,
            "log_retention_days": 365,
        },
    },
}
E = "module.ajo_sms.module.event_export[0]"
FORWARDER = f"{E}.module.aep_function[0]"
DELIVERY = "module.ajo_sms.module.delivery[0]"
FUNCTIONS = [
    "module.ajo_sms.module.send_function",
    f"{DELIVERY}.module.dispatch_function",
    "module.ajo_sms.module.authorizer_function",
    FORWARDER,
]


@pytest.fixture(scope="module")
def everything(plan_module):
    return plan_module(**EVERYTHING)


def test_delivery_fields_reach_the_stream_and_its_log_group(everything):
    s3 = everything.values[f'{E}.aws_kinesis_firehose_delivery_stream.this["sms"]']
    config = s3["extended_s3_configuration"][0]
    assert config["prefix"].startswith("sms/year=")
    assert config["error_output_prefix"].startswith("sms-errors/")
    assert s3["server_side_encryption"] == [
        {"enabled": True, "key_type": "CUSTOMER_MANAGED_CMK", "key_arn": FIREHOSE_KEY}
    ]
    log_group = everything.values[f"{E}.aws_cloudwatch_log_group.firehose"]
    assert (log_group["retention_in_days"], log_group["kms_key_id"]) == (14, KEY)


def test_glue_fields_reach_the_table(everything):
    assert "aws_glue_catalog_database" not in everything.counts  # create_database = false
    table = everything.values[f"{E}.aws_glue_catalog_table.events[0]"]
    assert (table["name"], table["database_name"]) == ("sms", "analytics")
    assert table["parameters"]["projection.year.range"] == "2026,2100"
    assert table["storage_descriptor"][0]["location"].endswith("/sms/")


def test_aep_fields_reach_the_forwarder_its_queues_and_mapping(everything):
    function = everything.values[f"{FORWARDER}.aws_lambda_function.this"]
    assert (function["memory_size"], function["timeout"]) == (512, 60)
    env = function["environment"][0]["variables"]
    assert env["AEP_SCHEMA_CONTENT_TYPE"] == "application/vnd.adobe.xed+json"
    assert env["AEP_SOURCE_NAME"] == "acme-sms"
    assert (env["BATCH_MAX_EVENTS"], env["MAX_ATTEMPTS"]) == ("50", "3")
    assert env["EVENTS_PREFIX"] == "sms/"
    assert (
        everything.values[f"{FORWARDER}.aws_cloudwatch_log_group.this"]["retention_in_days"] == 365
    )
    mapping = everything.values[
        f'{E}.module.forwarder_queue[0].aws_lambda_event_source_mapping.this["notifications"]'
    ]
    assert mapping["batch_size"] == 2
    queue = everything.values[f'{E}.module.forwarder_queue[0].aws_sqs_queue.this["notifications"]']
    # max_receive_count sits in redrive_policy beside the DLQ's ARN: known after apply.
    assert queue["visibility_timeout_seconds"] == 360  # 6 x the 60 s timeout


@pytest.fixture(scope="module")
def defaults(plan_module):
    """AEP forwarding with the module's defaults, the secret created, one key."""
    return plan_module(
        **BASE, kms_key_arn=KEY, functions={"log_retention_days": 60},
        event_export={"aep_forwarding": AEP},
    )  # fmt: skip


def test_functions_log_retention_is_the_default_for_every_function_log(defaults):
    summary = defaults
    for function in FUNCTIONS:
        log_group = summary.values[f"{function}.aws_cloudwatch_log_group.this"]
        assert log_group["retention_in_days"] == 60, function
    firehose_log = summary.values[f"{E}.aws_cloudwatch_log_group.firehose"]
    assert firehose_log["retention_in_days"] == 60
    # Left out, the submodule's own defaults apply.
    stream = summary.values[f'{E}.aws_kinesis_firehose_delivery_stream.this["sms"]']
    assert stream["extended_s3_configuration"][0]["prefix"].startswith("events/year=")
    forwarder = summary.values[f"{FORWARDER}.aws_lambda_function.this"]
    assert (forwarder["memory_size"], forwarder["timeout"]) == (256, 120)


def test_the_aep_secret_the_module_creates_takes_the_one_key(defaults):
    assert defaults.values[f"{E}.aws_secretsmanager_secret.aep[0]"]["kms_key_id"] == KEY


def test_one_key_reaches_every_log_group_queue_function_and_the_aep_secret(everything):
    log_groups = [a for a in everything.values if ".aws_cloudwatch_log_group." in a]
    assert len(log_groups) == 6  # 4 functions, Firehose, API access logs
    for address in log_groups:
        assert everything.values[address]["kms_key_id"] == KEY, address
    for function in FUNCTIONS:
        assert everything.values[f"{function}.aws_lambda_function.this"]["kms_key_arn"] == KEY
    for queue in ('this["notifications"]', "dlq"):
        address = f"{E}.module.forwarder_queue[0].aws_sqs_queue.{queue}"
        assert everything.values[address]["kms_master_key_id"] == KEY
    for queue in ('this["transactional"]', 'this["promotional"]', "dlq"):
        assert (
            everything.values[f"{DELIVERY}.module.queues.aws_sqs_queue.{queue}"][
                "kms_master_key_id"
            ]
            == KEY
        )
    policy = json.loads(everything.values[f"{FORWARDER}.aws_iam_role_policy.this"]["policy"])
    statements = {s.get("Sid"): s for s in policy["Statement"]}
    assert statements["SecretKey"]["Resource"] == SECRET_KEY  # the given secret's own key
    assert statements["DecryptEnvironment"]["Resource"] == KEY  # also reads the queue


def test_tracing_reaches_every_function(everything):
    for function in FUNCTIONS:
        lambda_ = everything.values[f"{function}.aws_lambda_function.this"]
        assert lambda_["tracing_config"] == [{"mode": "Active"}], function


def test_every_role_gets_the_path_and_the_boundary(everything):
    roles = sorted(a for a in everything.values if ".aws_iam_role." in a)
    # Four functions, Firehose, the SMS event destination, API Gateway's logging role.
    assert len(roles) == 7, roles
    for address in roles:
        role = everything.values[address]
        assert (role["path"], role["permissions_boundary"]) == ("/ajo-sms/", BOUNDARY), address


def test_an_sse_s3_bucket_and_an_existing_secret_take_no_root_key(plan_module):
    """The root key used to be forced onto an SSE-S3 bucket, failing the plan."""
    bucket = "arn:aws:s3:::acme-sms-events"
    summary = plan_module(**BASE, kms_key_arn=KEY, event_export={
        "bucket": {"create": False, "existing_arn": bucket, "encryption": {"type": "SSE-S3"}},
        "aep_forwarding": {**AEP, "secret_arn": SECRET, "manage_bucket_notification": True},
    })  # fmt: skip
    assert f"{E}.aws_secretsmanager_secret.aep[0]" not in summary.values
    assert summary.values[f"{FORWARDER}.aws_lambda_function.this"]["kms_key_arn"] == KEY
    notification = summary.values[f"{E}.aws_s3_bucket_notification.aep[0]"]
    assert notification["bucket"] == "acme-sms-events"
    policy = json.loads(summary.values[f"{FORWARDER}.aws_iam_role_policy.this"]["policy"])
    # Its key is the caller's to name (secret_kms_key_arn): not assumed to be the root's.
    assert "SecretKey" not in {s.get("Sid") for s in policy["Statement"]}
    assert summary.outputs["events_aep_secret_arn"] == SECRET
    for name in ("events_aep_queue_arn", "events_aep_dead_letter_queue_arn"):
        assert summary.outputs[name] == "__unknown__", name  # an ARN known after apply


def test_arn_outputs_exist_and_are_null_for_what_is_off(plan_module):
    summary = plan_module(**BASE, event_export={"enabled": False})
    for name in (
        "send_function_arn", "send_function_role_arn", "authorizer_function_arn",
        "authorizer_function_role_arn",
    ):  # fmt: skip
        assert summary.outputs[name] == "__unknown__", name
    for name in (
        "events_aep_secret_arn", "events_aep_queue_arn", "events_aep_dead_letter_queue_arn",
        "events_aep_function_arn", "events_aep_function_role_arn", "events_firehose_role_arn",
        "sms_event_destination_role_arn",
    ):  # fmt: skip
        assert summary.outputs[name] is None, name


# A plan reports one failed rule per variable: one bad value per variable.
@pytest.mark.parametrize(
    ("inputs", "messages"),
    [
        (
            {"functions": {"log_retention_days": 45}, "iam": {"role_path": "ajo-sms"}},
            [
                "functions.log_retention_days must be a CloudWatch Logs retention value",
                'iam.role_path must be "/" or an IAM path',
            ],
        ),
        (
            {"functions": {"tracing_mode": "On"}, "iam": {"role_permissions_boundary": "x"}},
            [
                'functions.tracing_mode must be null (off), "Active" or "PassThrough"',
                "iam.role_permissions_boundary must be an IAM policy ARN",
            ],
        ),
        (
            {"functions": {"send": {"memory_size": 64}}},
            ["functions.send.memory_size must be a whole number of MB, 128-10240"],
        ),
        (
            {"functions": {"send": {"reserved_concurrency": -1}}},
            ["functions.send.reserved_concurrency must be null (unreserved) or a whole number"],
        ),
        (
            # The submodule's rules reach root users, naming the same fields.
            {
                "event_export": {
                    "delivery": {"buffering_interval": 1.5},
                    "aep_forwarding": {**AEP, "memory_size": 100},
                }
            },
            [
                "delivery.buffering_interval must be a whole number of seconds, 0-900",
                "aep_forwarding.memory_size must be a whole number of MB, 128-10240",
            ],
        ),
    ],
    ids=["retention+path", "tracing+boundary", "memory", "concurrency", "event-export"],
)
def test_bad_numbers_and_iam_inputs_fail_at_plan(plan_module_error, inputs, messages):
    error = " ".join(plan_module_error(**{**BASE, **inputs}).replace("│", " ").split())
    missing = [m for m in messages if m not in error]
    assert missing == [], error[-3000:]
