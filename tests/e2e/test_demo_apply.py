"""End to end: apply the module to moto, re-plan, read back, exercise, destroy.

demo/ is the module with End User Messaging SMS in existing-resource mode
(moto has no pinpoint-sms-voice-v2); everything else is created for real on
moto, read back with boto3 and exercised from the deployed zips. Gaps are
listed in the README's testing section.
"""

from __future__ import annotations

import json

import pytest
from harness.moto_server import moto_server
from iac import REPO, Deployment
from loopback_sms import LoopbackSmsApi
from request_path import RequestPath, aws

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CONTRACT_SEND_VARIABLES = {
    "CONFIGURATION_SET_NAME", "DEFAULT_ORIGINATION_IDENTITY", "DEFAULT_COUNTRY",
    "DEFAULT_MESSAGE_TYPE", "IDEMPOTENCY_TABLE", "SMS_API", "PINPOINT_APPLICATION_ID",
}  # fmt: skip


@pytest.fixture(scope="module")
def deployed():
    with moto_server() as url, LoopbackSmsApi() as sms:
        deployment = Deployment(REPO / "demo", url)
        try:
            deployment.init()
            deployment.apply()
            yield deployment, deployment.outputs()["module"], url, sms
        finally:
            deployment.destroy()
            leftovers = deployment.state_addresses()
            deployment.cleanup()
            assert leftovers == []
            assert aws("lambda", url).list_functions()["Functions"] == []
            assert aws("apigateway", url).get_rest_apis()["items"] == []
            assert aws("dynamodb", url).list_tables()["TableNames"] == []
            assert aws("firehose", url).list_delivery_streams()["DeliveryStreamNames"] == []


def test_second_plan_is_empty(deployed):
    deployment, *_ = deployed
    code, text = deployment.plan_changes()
    assert code == 0, f"perpetual diff after apply:\n{text[-3000:]}"


def test_authorizer_guards_post_with_the_header(deployed):
    _, outputs, url, _ = deployed
    gateway = aws("apigateway", url)
    api_id = outputs["api_rest_api_id"]
    (authorizer,) = gateway.get_authorizers(restApiId=api_id)["items"]
    assert authorizer["type"] == "TOKEN"
    assert authorizer["identitySource"] == f"method.request.header.{outputs['auth_header_name']}"
    resources = gateway.get_resources(restApiId=api_id)["items"]
    (sms,) = [r for r in resources if r.get("pathPart") == "sms"]
    method = gateway.get_method(restApiId=api_id, resourceId=sms["id"], httpMethod="POST")
    assert method["authorizationType"] == "CUSTOM"
    assert method["authorizerId"] == authorizer["id"]
    integration = method["methodIntegration"]
    assert integration["type"] == "AWS_PROXY"
    send = aws("lambda", url).get_function_configuration(FunctionName=outputs["send_function_name"])
    assert send["FunctionArn"] in integration["uri"]


def test_functions_environment_matches_the_contract(deployed):
    _, outputs, url, _ = deployed
    lam = aws("lambda", url)
    send = lam.get_function_configuration(FunctionName=outputs["send_function_name"])
    env = send["Environment"]["Variables"]
    assert set(env) <= CONTRACT_SEND_VARIABLES
    assert env["SMS_API"] == "v2"
    assert env["CONFIGURATION_SET_NAME"] == "ajo-sms-demo"
    assert env["IDEMPOTENCY_TABLE"] == outputs["idempotency_table_name"]
    assert env["DEFAULT_ORIGINATION_IDENTITY"].startswith("arn:aws:sms-voice:")
    authorizer = lam.get_function_configuration(FunctionName=outputs["authorizer_function_name"])
    assert (
        authorizer["Environment"]["Variables"]["API_KEY_SECRET_ARN"]
        == outputs["api_key_secret_arn"]
    )
    for function in (send, authorizer):
        role = aws("iam", url).get_role(RoleName=function["Role"].rsplit("/", 1)[-1])["Role"]
        principals = [s["Principal"] for s in role["AssumeRolePolicyDocument"]["Statement"]]
        assert principals == [{"Service": "lambda.amazonaws.com"}]


def test_events_reach_an_encrypted_private_bucket(deployed):
    _, outputs, url, _ = deployed
    stream = aws("firehose", url).describe_delivery_stream(
        DeliveryStreamName=outputs["events_firehose_stream_arn"].rsplit("/", 1)[-1]
    )["DeliveryStreamDescription"]
    (destination,) = stream["Destinations"]
    s3 = destination["ExtendedS3DestinationDescription"]
    bucket = outputs["events_bucket_name"]
    assert s3["BucketARN"] == f"arn:aws:s3:::{bucket}"
    assert s3["CompressionFormat"] == "GZIP"
    assert s3["Prefix"].startswith("events/")
    assert s3["ErrorOutputPrefix"]
    client = aws("s3", url)
    rules = client.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    assert rules["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    block = client.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())


def test_ajo_request_goes_through_once(deployed):
    _, outputs, url, sms = deployed
    path = RequestPath(outputs, url, sms.url)
    request = {
        "destinationNumber": "(415) 555-0100",
        "message": "Your code is 123456",
        "idempotencyKey": "e2e-1",
        "context": {"journeyId": "j-1"},
    }
    first = path.call(request)
    again = path.call(request)

    assert first["statusCode"] == 200, first
    body = json.loads(first["body"])
    assert body["status"] == "SENT" and body["destinationNumber"] == "+14155550100"
    assert json.loads(again["body"])["idempotentReplay"] is True
    (call,) = [c for c in sms.sends() if c.body.get("Context") == {"journeyId": "j-1"}]
    assert call.body["ConfigurationSetName"] == "ajo-sms-demo"
    assert "+14155550100" not in first["logs"]  # logs mask numbers
    assert path.api_key not in first["logs"] + again["logs"]


def test_wrong_key_is_refused(deployed):
    _, outputs, url, sms = deployed
    path = RequestPath(outputs, url, sms.url)
    before = len(sms.sends())
    response = path.call({"destinationNumber": "+14155550100", "message": "x"}, token="nope")
    assert response["statusCode"] == 401
    assert len(sms.sends()) == before
