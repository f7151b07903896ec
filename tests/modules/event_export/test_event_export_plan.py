"""Plan tests of modules/event_export, one plan per option combination:
bucket created vs existing, SSE-KMS vs SSE-S3, dynamic partitioning + Glue,
AEP forwarding on/off. Each asserts encryption, public access, the error
prefix, least-privilege IAM, and that nothing is planned for an option off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness.api_gateway import as_list

ROOT = "tests/modules/event_export/fixture"
HERE = Path(__file__).parent
ACCOUNT = "123456789012"
REGION = "eu-west-1"
STREAM = "ajo-sms-test-sms-events"
CREATED_BUCKET = f"ajo-sms-test-events-{ACCOUNT}"
EXISTING_BUCKET = "arn:aws:s3:::acme-sms-events"
EXISTING_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b7a1e3c-1111-2222-3333-444455556666"
SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:ajo-sms/aep-AbCdEf"
DATE = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/"

M = "module.event_export"
BUCKET = f"{M}.module.bucket[0].aws_s3_bucket.this"
FIREHOSE = f'{M}.aws_kinesis_firehose_delivery_stream.this["sms"]'
FIREHOSE_ROLE = f"{M}.aws_iam_role.firehose"
FIREHOSE_POLICY = f"{M}.aws_iam_role_policy.firehose"
FIREHOSE_KMS_POLICY = f"{M}.aws_iam_role_policy.firehose_kms[0]"
BUCKET_RESOURCES = [
    "module.bucket[0].aws_s3_bucket.this",
    "module.bucket[0].aws_s3_bucket_public_access_block.this",
    "module.bucket[0].aws_s3_bucket_ownership_controls.this",
    "module.bucket[0].aws_s3_bucket_server_side_encryption_configuration.this",
    "module.bucket[0].aws_s3_bucket_lifecycle_configuration.this",
    "module.bucket[0].aws_s3_bucket_policy.this",
]
AEP_RESOURCES = [
    'module.forwarder_queue[0].aws_sqs_queue.this["notifications"]',
    "module.forwarder_queue[0].aws_sqs_queue.dlq",
    "aws_sqs_queue_redrive_allow_policy.aep_dlq[0]",
    'module.forwarder_queue[0].aws_sqs_queue_policy.this["notifications"]',
    'module.forwarder_queue[0].aws_lambda_event_source_mapping.this["notifications"]',
    "module.aep_function[0].aws_lambda_function.this",
    "module.aep_function[0].aws_iam_role.this",
    "module.aep_function[0].aws_iam_role_policy.this",
    "module.aep_function[0].aws_cloudwatch_log_group.this",
]
AEP_FUNCTION = f"{M}.module.aep_function[0].aws_lambda_function.this"
AEP_ROLE = f"{M}.module.aep_function[0].aws_iam_role.this"
AEP_POLICY = f"{M}.module.aep_function[0].aws_iam_role_policy.this"
AEP_ALL = [*AEP_RESOURCES, "aws_s3_bucket_notification.aep[0]", "aws_secretsmanager_secret.aep[0]"]
AEP = {
    "enabled": True,
    "inlet_url": "https://dcs.adobedc.net/collection/batch/0123456789abcdef",
    "ims_org_id": "ABCDEF0123456789@AdobeOrg",
    "dataset_id": "0123456789abcdef01234567",
    "schema_id": "https://ns.adobe.com/acme/schemas/0123456789abcdef",
}

pytestmark = pytest.mark.slow


def policy_statements(summary, address: str) -> dict[str, dict]:
    document = json.loads(summary.values[address]["policy"])
    return {s.get("Sid", ""): s for s in document["Statement"]}


def s3_config(summary) -> dict:
    return summary.values[FIREHOSE]["extended_s3_configuration"][0]


@pytest.fixture(scope="module")
def default_plan(plan_case):
    return plan_case(HERE, "default")  # tftest.yaml checks it against default.yaml


# --- bucket created (defaults: SSE-KMS with a module key) ---------------------


def test_bucket_is_private_owner_enforced_and_kept_on_destroy(default_plan):
    block = default_plan.values[f"{M}.module.bucket[0].aws_s3_bucket_public_access_block.this"]
    assert all(
        block[flag] is True
        for flag in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    )
    ownership = default_plan.values[f"{M}.module.bucket[0].aws_s3_bucket_ownership_controls.this"]
    assert ownership["rule"] == [{"object_ownership": "BucketOwnerEnforced"}]
    bucket = default_plan.values[BUCKET]
    assert bucket["force_destroy"] is False
    assert bucket["bucket"] == CREATED_BUCKET


def test_bucket_encrypted_with_kms_and_bucket_key(default_plan):
    sse = default_plan.values[
        f"{M}.module.bucket[0].aws_s3_bucket_server_side_encryption_configuration.this"
    ]
    (rule,) = sse["rule"]
    assert rule["bucket_key_enabled"] is True
    assert rule["apply_server_side_encryption_by_default"][0]["sse_algorithm"] == "aws:kms"
    key = default_plan.values[f"{M}.aws_kms_key.this[0]"]
    assert key["enable_key_rotation"] is True


def test_bucket_policy_denies_insecure_transport(default_plan):
    statements = policy_statements(default_plan, f"{M}.module.bucket[0].aws_s3_bucket_policy.this")
    deny = statements["DenyInsecureTransport"]
    assert deny["Effect"] == "Deny"
    assert deny["Principal"] == "*" or deny["Principal"] == {"AWS": "*"}
    assert deny["Action"] == "s3:*"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_lifecycle_expires_objects_and_aborts_uploads(default_plan):
    lifecycle = default_plan.values[
        f"{M}.module.bucket[0].aws_s3_bucket_lifecycle_configuration.this"
    ]
    (rule,) = lifecycle["rule"]
    assert rule["status"] == "Enabled"
    assert rule["expiration"][0]["days"] == 400
    assert rule["abort_incomplete_multipart_upload"][0]["days_after_initiation"] == 7
    assert rule["noncurrent_version_expiration"] == []
    assert f"{M}.module.bucket[0].aws_s3_bucket_versioning.this[0]" not in default_plan.values


def test_firehose_gzip_date_prefix_error_prefix_logging_and_encryption(default_plan):
    stream = default_plan.values[FIREHOSE]
    assert stream["name"] == STREAM
    assert stream["destination"] == "extended_s3"
    assert stream["server_side_encryption"] == [
        {"enabled": True, "key_type": "AWS_OWNED_CMK", "key_arn": None}
    ]
    config = s3_config(default_plan)
    assert config["compression_format"] == "GZIP"
    assert config["prefix"] == f"events/{DATE}"
    assert config["error_output_prefix"] == f"errors/!{{firehose:error-output-type}}/{DATE}"
    assert (config["buffering_size"], config["buffering_interval"]) == (5, 300)
    logging = config["cloudwatch_logging_options"][0]
    assert logging == {
        "enabled": True,
        "log_group_name": f"/aws/kinesisfirehose/{STREAM}",
        "log_stream_name": "DestinationDelivery",
    }
    (processing,) = config["processing_configuration"]
    assert [p["type"] for p in processing["processors"]] == ["AppendDelimiterToRecord"]
    assert config["dynamic_partitioning_configuration"] == []
    group = default_plan.values[f"{M}.aws_cloudwatch_log_group.firehose"]
    assert group["retention_in_days"] == 30


def test_firehose_role_trust_and_least_privilege(default_plan):
    trust = json.loads(default_plan.values[FIREHOSE_ROLE]["assume_role_policy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "firehose.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": ACCOUNT}}
    statements = policy_statements(default_plan, FIREHOSE_POLICY)
    assert set(statements) == {"BucketLevel", "EventObjects", "ErrorLogging"}
    bucket_arn = f"arn:aws:s3:::{CREATED_BUCKET}"
    assert statements["BucketLevel"]["Resource"] == bucket_arn
    assert sorted(statements["EventObjects"]["Action"]) == [
        "s3:AbortMultipartUpload",
        "s3:GetObject",
        "s3:PutObject",
    ]
    assert sorted(as_list(statements["EventObjects"]["Resource"])) == [
        f"{bucket_arn}/errors/*",
        f"{bucket_arn}/events/*",
    ]
    assert statements["ErrorLogging"]["Resource"] == (
        f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/kinesisfirehose/{STREAM}"
        ":log-stream:DestinationDelivery"
    )
    # Every Allow names exact resources: no wildcard account-wide grants.
    for statement in statements.values():
        assert "*" not in as_list(statement["Resource"])


# --- existing bucket -----------------------------------------------------------


def test_existing_bucket_with_sse_s3_plans_no_bucket_and_no_key(plan_summary):
    summary = plan_summary(
        ROOT,
        bucket={"create": False, "existing_arn": EXISTING_BUCKET, "encryption": {"type": "SSE-S3"}},
    )
    for address in [*BUCKET_RESOURCES, "aws_kms_key.this[0]", "aws_kms_alias.this[0]"]:
        assert f"{M}.{address}" not in summary.values
    assert s3_config(summary)["bucket_arn"] == EXISTING_BUCKET
    assert FIREHOSE_KMS_POLICY not in summary.values
    statements = policy_statements(summary, FIREHOSE_POLICY)
    assert statements["BucketLevel"]["Resource"] == EXISTING_BUCKET
    assert sorted(as_list(statements["EventObjects"]["Resource"])) == [
        f"{EXISTING_BUCKET}/errors/*",
        f"{EXISTING_BUCKET}/events/*",
    ]
    assert summary.outputs["bucket_name"] == "acme-sms-events"
    assert summary.outputs["kms_key_arn"] is None


def test_existing_bucket_with_its_kms_key(plan_summary):
    summary = plan_summary(
        ROOT,
        bucket={
            "create": False,
            "existing_arn": EXISTING_BUCKET,
            "encryption": {"kms_key_arn": EXISTING_KEY},
        },
    )
    statement = policy_statements(summary, FIREHOSE_KMS_POLICY)["BucketKey"]
    assert statement["Resource"] == EXISTING_KEY
    assert sorted(statement["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert statement["Condition"] == {
        "StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"},
        "StringLike": {
            "kms:EncryptionContext:aws:s3:arn": [EXISTING_BUCKET, f"{EXISTING_BUCKET}/*"]
        },
    }
    assert f"{M}.aws_kms_key.this[0]" not in summary.values


def test_sse_s3_and_versioning_on_a_created_bucket(plan_summary):
    summary = plan_summary(
        ROOT, bucket={"encryption": {"type": "SSE-S3"}, "versioning": True, "expiration_days": 0}
    )
    sse = summary.values[
        f"{M}.module.bucket[0].aws_s3_bucket_server_side_encryption_configuration.this"
    ]
    default = sse["rule"][0]["apply_server_side_encryption_by_default"][0]
    assert default["sse_algorithm"] == "AES256"
    assert default.get("kms_master_key_id") is None
    assert sse["rule"][0]["bucket_key_enabled"] is True
    assert f"{M}.aws_kms_key.this[0]" not in summary.values
    versioning = summary.values[f"{M}.module.bucket[0].aws_s3_bucket_versioning.this[0]"]
    assert versioning["versioning_configuration"][0]["status"] == "Enabled"
    rule = summary.values[f"{M}.module.bucket[0].aws_s3_bucket_lifecycle_configuration.this"][
        "rule"
    ][0]
    assert rule["expiration"] == []
    assert rule["noncurrent_version_expiration"][0]["noncurrent_days"] == 30


# --- dynamic partitioning and Glue ----------------------------------------------


def test_dynamic_partitioning_by_event_type_and_glue_projection(plan_summary):
    summary = plan_summary(ROOT, delivery={"dynamic_partitioning": True}, glue={"enabled": True})
    config = s3_config(summary)
    assert config["prefix"] == f"events/{DATE}event_type=!{{partitionKeyFromQuery:event_type}}/"
    assert "partitionKeyFromQuery" not in config["error_output_prefix"]
    assert config["buffering_size"] == 64
    assert config["dynamic_partitioning_configuration"][0]["enabled"] is True
    processors = config["processing_configuration"][0]["processors"]
    assert [p["type"] for p in processors] == ["AppendDelimiterToRecord", "MetadataExtraction"]
    parameters = {p["parameter_name"]: p["parameter_value"] for p in processors[1]["parameters"]}
    assert parameters == {
        "JsonParsingEngine": "JQ-1.6",
        "MetadataExtractionQuery": "{event_type:.eventType}",
    }

    database = summary.values[f"{M}.aws_glue_catalog_database.this[0]"]
    assert database["name"] == "ajo_sms_test"
    table = summary.values[f"{M}.aws_glue_catalog_table.events[0]"]
    assert table["name"] == "sms_events"
    assert [k["name"] for k in table["partition_keys"]] == ["year", "month", "day", "event_type"]
    parameters = table["parameters"]
    assert parameters["projection.enabled"] == "true"
    assert parameters["projection.month.digits"] == "2"
    assert "TEXT_DELIVERED" in parameters["projection.event_type.values"].split(",")
    assert parameters["storage.location.template"].endswith(
        "/events/year=${year}/month=${month}/day=${day}/event_type=${event_type}/"
    )
    serde = table["storage_descriptor"][0]["ser_de_info"][0]
    assert serde["serialization_library"] == "org.openx.data.jsonserde.JsonSerDe"
    columns = {c["name"]: c["type"] for c in table["storage_descriptor"][0]["columns"]}
    assert columns["context"] == "map<string,string>"
    assert columns["eventtype"] == "string" and columns["eventtimestamp"] == "bigint"


def test_glue_off_by_default(default_plan):
    assert not any("aws_glue" in address for address in default_plan.values)
    assert default_plan.outputs["glue_table_name"] is None


# --- AEP forwarding --------------------------------------------------------------


@pytest.fixture(scope="module")
def aep_default_plan(plan_summary, forwarder_zip):
    """AEP forwarding with everything defaulted: module key, secret created."""
    path, _ = forwarder_zip
    return plan_summary(ROOT, aep_forwarding={**AEP, "package": {"filename": path}})


@pytest.fixture(scope="module")
def aep_plan(plan_summary, forwarder_zip):
    """AEP forwarding with a given bucket key and secret: every policy known at plan."""
    path, _ = forwarder_zip
    return plan_summary(
        ROOT,
        bucket={"encryption": {"kms_key_arn": EXISTING_KEY}},
        aep_forwarding={**AEP, "package": {"filename": path}, "secret_arn": SECRET},
    )


def test_aep_forwarding_off_plans_nothing_of_it(default_plan):
    for address in AEP_ALL:
        assert f"{M}.{address}" not in default_plan.values
    assert default_plan.outputs["aep_queue_arn"] is None


def test_aep_forwarding_defaults_create_the_secret_to_fill(aep_default_plan):
    for address in AEP_ALL:
        assert f"{M}.{address}" in aep_default_plan.values, address
    secret = aep_default_plan.values[f"{M}.aws_secretsmanager_secret.aep[0]"]
    assert secret["name_prefix"] == "ajo-sms-test-aep-forwarder-"


def test_aep_forwarding_on_plans_queue_dlq_function_and_notification(aep_plan, forwarder_zip):
    _, digest = forwarder_zip
    for address in [*AEP_RESOURCES, "aws_s3_bucket_notification.aep[0]"]:
        assert f"{M}.{address}" in aep_plan.values, address
    assert f"{M}.aws_secretsmanager_secret.aep[0]" not in aep_plan.values
    queue = aep_plan.values[f'{M}.module.forwarder_queue[0].aws_sqs_queue.this["notifications"]']
    assert queue["sqs_managed_sse_enabled"] is True
    assert queue["visibility_timeout_seconds"] == 720  # 6 x the 120 s function timeout
    assert (
        aep_plan.values[f"{M}.module.forwarder_queue[0].aws_sqs_queue.dlq"][
            "sqs_managed_sse_enabled"
        ]
        is True
    )
    mapping = aep_plan.values[
        f'{M}.module.forwarder_queue[0].aws_lambda_event_source_mapping.this["notifications"]'
    ]
    assert mapping["function_response_types"] == ["ReportBatchItemFailures"]
    assert mapping["batch_size"] == 5
    function = aep_plan.values[AEP_FUNCTION]
    assert function["function_name"] == "ajo-sms-test-aep-forwarder"
    assert (function["runtime"], function["handler"]) == ("python3.13", "handler.handler")
    assert function["source_code_hash"] == digest
    env = function["environment"][0]["variables"]
    assert env["AEP_INLET_URL"] == AEP["inlet_url"]
    assert env["AEP_SECRET_ARN"] == SECRET
    assert env["AEP_DATASET_ID"] == AEP["dataset_id"]
    assert env["EVENTS_PREFIX"] == "events/"
    assert env["CHECKPOINT_PREFIX"] == "aep-forwarder/checkpoints/"
    assert "XDM_TEMPLATE" not in env  # default template inside the function
    notification = aep_plan.values[f"{M}.aws_s3_bucket_notification.aep[0]"]
    (queue_config,) = notification["queue"]
    assert queue_config["events"] == ["s3:ObjectCreated:*"]
    assert queue_config["filter_prefix"] == "events/"


def test_aep_forwarder_role_is_least_privilege(aep_plan):
    statements = policy_statements(aep_plan, AEP_POLICY)
    assert set(statements) == {
        "WriteOwnLogs",
        "ConsumeQueue",
        "ReadEvents",
        "ForwarderState",
        "BucketKey",
        "ReadCredentials",
    }
    bucket_arn = f"arn:aws:s3:::{CREATED_BUCKET}"
    assert as_list(statements["ReadEvents"]["Action"]) == ["s3:GetObject"]
    assert statements["ReadEvents"]["Resource"] == f"{bucket_arn}/events/*"
    assert statements["ForwarderState"]["Resource"] == f"{bucket_arn}/aep-forwarder/*"
    assert statements["ReadCredentials"]["Resource"] == SECRET
    assert statements["BucketKey"]["Resource"] == EXISTING_KEY
    assert sorted(as_list(statements["ForwarderState"]["Action"])) == [
        "s3:GetObject",
        "s3:PutObject",
    ]
    trust = json.loads(aep_plan.values[AEP_ROLE]["assume_role_policy"])
    assert trust["Statement"][0]["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}


def test_aep_queue_accepts_only_this_buckets_notifications_over_tls(aep_plan):
    document = json.loads(
        aep_plan.values[
            f'{M}.module.forwarder_queue[0].aws_sqs_queue_policy.this["notifications"]'
        ]["policy"]
    )
    statements = {s["Sid"]: s for s in document["Statement"]}
    assert set(statements) == {"S3ObjectCreated", "DenyInsecureTransport"}
    statement = statements["S3ObjectCreated"]
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert statement["Action"] == "sqs:SendMessage"
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
    assert statement["Condition"]["ArnEquals"] == {
        "aws:SourceArn": f"arn:aws:s3:::{CREATED_BUCKET}"
    }
    deny = statements["DenyInsecureTransport"]
    assert (deny["Effect"], deny["Action"]) == ("Deny", "sqs:*")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_aep_on_existing_bucket_leaves_its_notifications_alone(plan_summary, forwarder_zip):
    path, _ = forwarder_zip
    bucket = {"create": False, "existing_arn": EXISTING_BUCKET, "encryption": {"type": "SSE-S3"}}
    aep = {**AEP, "package": {"filename": path}, "secret_arn": SECRET}
    summary = plan_summary(ROOT, bucket=bucket, aep_forwarding=aep)
    assert f"{M}.aws_s3_bucket_notification.aep[0]" not in summary.values
    assert f"{M}.aws_secretsmanager_secret.aep[0]" not in summary.values
    statements = policy_statements(summary, AEP_POLICY)
    assert statements["ReadCredentials"]["Resource"] == SECRET
    assert statements["ReadEvents"]["Resource"] == f"{EXISTING_BUCKET}/events/*"
    assert "BucketKey" not in statements

    managed = plan_summary(
        ROOT, bucket=bucket, aep_forwarding={**aep, "manage_bucket_notification": True}
    )
    notification = managed.values[f"{M}.aws_s3_bucket_notification.aep[0]"]
    assert notification["bucket"] == "acme-sms-events"


# --- validation ------------------------------------------------------------------

INVALID = {
    "bucket-arn": (
        {"bucket": {"create": False, "existing_arn": "acme-sms-events"}},
        "S3 bucket ARN",
    ),
    "existing-kms": (
        {"bucket": {"create": False, "existing_arn": EXISTING_BUCKET}},
        "set bucket.encryption.kms_key_arn",
    ),
    "encryption-type": ({"bucket": {"encryption": {"type": "DSSE"}}}, "SSE-KMS or SSE-S3"),
    "partition-buffer": (
        {"delivery": {"dynamic_partitioning": True, "buffering_size": 5}},
        "at least 64 with dynamic_partitioning",
    ),
    "prefix-overlap": (
        {"delivery": {"prefix": "x/", "error_prefix": "x/errors/"}},
        "must not contain",
    ),
    "aep-inlet": (
        {"aep_forwarding": {**AEP, "inlet_url": "http://x", "package": {"filename": "f.zip"}}},
        "inlet_url",
    ),
    "aep-dataset": (
        {"aep_forwarding": {**AEP, "dataset_id": "x", "package": {"filename": "f.zip"}}},
        "24 hex characters",
    ),
    "aep-package": ({"aep_forwarding": AEP}, "package.filename"),
    "aep-template": (
        {"aep_forwarding": {**AEP, "xdm_template": "[1]", "package": {"filename": "f.zip"}}},
        "must be a JSON object",
    ),
    "log-retention": ({"delivery": {"log_retention_days": 42}}, "retention value"),
    "key-missing": (
        {"bucket": {"encryption": {"create_kms_key": False}}},
        "create_kms_key = false needs a kms_key_arn",
    ),
    "key-twice": (
        {"bucket": {"encryption": {"kms_key_arn": EXISTING_KEY, "create_kms_key": True}}},
        "not both",
    ),
}


@pytest.mark.parametrize(("tf_vars", "message"), INVALID.values(), ids=INVALID.keys())
def test_invalid_inputs_fail_at_plan_with_a_clear_message(planned_root, tf_vars, message):
    error = planned_root(ROOT).plan_error(**tf_vars)
    assert "Invalid value for variable" in error
    assert message in " ".join(error.split()), error[-2000:]


def test_key_created_in_the_same_apply_plans_with_create_kms_key_false(plan_summary):
    summary = plan_summary("tests/modules/event_export/fixture_same_apply_key")
    assert f"{M}.aws_kms_key.this[0]" not in summary.values
    assert summary.counts["aws_kms_key"] == 1  # the caller's own
    assert FIREHOSE_KMS_POLICY in summary.values
