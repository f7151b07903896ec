"""Plan tests of the AJO feedback target of the event forwarder
(modules/event_export/aep_forwarder.tf): the forwarder exists with the feedback
webhook alone, gets the feedback variables and none of AEP's, may read the
webhook secret and write its own state prefix only; with AEP too it gets both."""

from __future__ import annotations

import pytest
from harness.api_gateway import as_list
from harness.terraform import statements
from modules.event_export.test_event_export_plan import (
    ACCOUNT,
    AEP,
    AEP_FUNCTION,
    AEP_POLICY,
    CREATED_BUCKET,
    EXISTING_KEY,
    REGION,
    ROOT,
    SECRET,
    M,
)

pytestmark = pytest.mark.slow
WEBHOOK_SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:ajo-webhook-AbCdEf"
SECRET_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/9c9c9c9c-1111-2222-3333-444455556666"
FEEDBACK = {
    "url": "https://ajo.example.adobe.io/sms/feedback",
    "secret_arn": WEBHOOK_SECRET,
    "secret_kms_key_arn": SECRET_KEY,
}
FEEDBACK_ENV = {
    "AJO_FEEDBACK_WEBHOOK_URL": FEEDBACK["url"],
    "AJO_FEEDBACK_WEBHOOK_SECRET_ARN": WEBHOOK_SECRET,
    "AJO_FEEDBACK_WEBHOOK_HEADER": "x-ajo-webhook-secret",
    "CLIENT_REFERENCE_KEY": "clientReference",
}


@pytest.fixture(scope="module")
def package(forwarder_zip) -> dict:
    return {"filename": forwarder_zip[0]}


# A given bucket key: every policy is known at plan.
BUCKET = {"encryption": {"kms_key_arn": EXISTING_KEY}}


@pytest.fixture(scope="module")
def feedback_plan(plan_summary, package):
    return plan_summary(
        ROOT, bucket=BUCKET, aep_forwarding={"package": package}, ajo_feedback_webhook=FEEDBACK
    )


def test_feedback_alone_builds_the_forwarder_without_aep(feedback_plan):
    values = feedback_plan.values
    forwarder = [
        'module.forwarder_queue[0].aws_sqs_queue.this["notifications"]',
        "module.forwarder_queue[0].aws_sqs_queue.dlq",
        "aws_s3_bucket_notification.aep[0]",
    ]
    for address in [
        *forwarder,
        'module.forwarder_queue[0].aws_lambda_event_source_mapping.this["notifications"]',
    ]:
        assert f"{M}.{address}" in values, address
    assert f"{M}.aws_secretsmanager_secret.aep[0]" not in values  # no AEP credentials
    function = values[AEP_FUNCTION]
    assert (
        function["description"]
        == "Forwards SMS delivery events from S3 to the AJO feedback webhook"
    )
    env = function["environment"][0]["variables"]
    assert {k: env[k] for k in FEEDBACK_ENV} == FEEDBACK_ENV
    # The function refuses AEP settings without an inlet: none may be set.
    assert not [
        k for k in env if k.startswith("AEP_") or (k.endswith("_PREFIX") and k != "EVENTS_PREFIX")
    ]
    assert "XDM_TEMPLATE" not in env
    assert feedback_plan.outputs["aep_secret_arn"] is None


def test_feedback_role_reads_its_secret_and_writes_its_own_state_only(feedback_plan):
    by_sid = statements(feedback_plan.values[AEP_POLICY]["policy"])
    assert not {"ForwarderState", "ReadCredentials", "SecretKey"} & set(by_sid)
    state = by_sid["FeedbackState"]
    assert as_list(state["Resource"]) == [f"arn:aws:s3:::{CREATED_BUCKET}/ajo-feedback/*"]
    assert sorted(as_list(state["Action"])) == ["s3:GetObject", "s3:PutObject"]
    secret = by_sid["ReadFeedbackWebhookSecret"]
    assert as_list(secret["Resource"]) == [WEBHOOK_SECRET]
    assert as_list(secret["Action"]) == ["secretsmanager:GetSecretValue"]
    key = by_sid["FeedbackSecretKey"]
    assert as_list(key["Resource"]) == [SECRET_KEY]
    assert key["Condition"] == {
        "StringEquals": {"kms:ViaService": f"secretsmanager.{REGION}.amazonaws.com"}
    }


def test_aep_and_feedback_share_one_forwarder(plan_summary, package):
    aep = {**AEP, "package": package, "secret_arn": SECRET}
    summary = plan_summary(
        ROOT,
        bucket=BUCKET,
        aep_forwarding=aep,
        ajo_feedback_webhook={"url": FEEDBACK["url"], "client_reference_key": "ajoRef"},
    )
    assert summary.counts["aws_lambda_function"] == 1
    function = summary.values[AEP_FUNCTION]
    assert function["description"] == (
        "Forwards SMS delivery events from S3 to Adobe Experience Platform"
        " and the AJO feedback webhook"
    )
    env = function["environment"][0]["variables"]
    assert env["AEP_INLET_URL"] == AEP["inlet_url"]
    assert env["CHECKPOINT_PREFIX"] == "aep-forwarder/checkpoints/"  # deployed state stays valid
    assert env["CLIENT_REFERENCE_KEY"] == "ajoRef"
    assert "AJO_FEEDBACK_WEBHOOK_SECRET_ARN" not in env
    by_sid = statements(summary.values[AEP_POLICY]["policy"])
    assert {"ForwarderState", "ReadCredentials", "FeedbackState"} <= set(by_sid)
    assert "ReadFeedbackWebhookSecret" not in by_sid


F = "ajo_feedback_webhook"
INVALID = {
    "http": ({"url": "http://ajo.example.com/feedback"}, f"{F}.url must be an https:// URL"),
    "secret": ({"secret_arn": "webhook"}, f"{F}.secret_arn must be a Secrets Manager secret ARN"),
    "secret-key": ({"secret_kms_key_arn": "alias/x"}, f"{F}.secret_kms_key_arn must be a KMS key"),
    "header": ({"header_name": "x secret"}, f"{F}.header_name must be an HTTP header token"),
    "reference-key": ({"client_reference_key": "a b"}, f"{F}.client_reference_key must be 1-100"),
}


@pytest.mark.parametrize(("change", "message"), INVALID.values(), ids=INVALID.keys())
def test_invalid_feedback_inputs_fail_at_plan(planned_root, change, message):
    error = planned_root(ROOT).plan_error(
        aep_forwarding={"package": {"filename": "f.zip"}},
        ajo_feedback_webhook={"url": FEEDBACK["url"], **change},
    )
    assert message in " ".join(error.split()), error[-2000:]


def test_feedback_needs_the_forwarder_package(planned_root):
    error = planned_root(ROOT).plan_error(ajo_feedback_webhook={"url": FEEDBACK["url"]})
    assert "aep_forwarding.package.filename (the event_forwarder zip) is required" in " ".join(
        error.split()
    )
