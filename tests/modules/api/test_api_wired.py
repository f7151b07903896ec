"""modules/function twice + modules/api, wired the way the root module wires
them: planned offline, and applied against moto to read the values a plan
cannot know (the Lambda permissions' source ARNs embed the API's ID)."""

from __future__ import annotations

import json

import boto3
import pytest
from harness.moto_server import FAKE_CREDENTIALS
from harness.terraform import REPO, PlannedRoot

ROOT = "tests/modules/api/fixture_wired"


@pytest.mark.slow
def test_wired_plan(plan_summary, api_function_zip):
    summary = plan_summary(ROOT, package_filename=api_function_zip)
    assert summary.counts["aws_lambda_function"] == 2
    assert summary.counts["aws_lambda_permission"] == 2
    assert summary.counts["aws_api_gateway_account"] == 1
    authorizer = summary.values["module.authorizer.aws_lambda_function.this"]
    assert authorizer["timeout"] == 5
    assert set(authorizer["environment"][0]["variables"]) == {"API_KEY_SECRET_ARN"}


@pytest.mark.e2e
@pytest.mark.slow
def test_wired_apply_scopes_invocation_to_this_api(moto_endpoint, api_function_zip):
    root = PlannedRoot(REPO / ROOT, moto_endpoint)
    # moto does not serve AWS managed policies, which the account-wide
    # CloudWatch role attaches: leave that opt-in out of the apply.
    tf_vars = {"package_filename": api_function_zip, "manage_account_cloudwatch_role": "false"}
    try:
        root.tf.apply(tf_vars=tf_vars)
        api = root.tf.output()["api"]
        clients = {
            name: boto3.client(
                name,
                endpoint_url=moto_endpoint,
                region_name="eu-west-1",
                aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            )
            for name in ("lambda", "apigateway")
        }
        api_id = api["rest_api_id"]
        execution_arn = f"arn:aws:execute-api:eu-west-1:123456789012:{api_id}"
        assert api["rest_api_execution_arn"] == execution_arn
        assert api["invoke_url"].endswith(f"{api_id}.execute-api.eu-west-1.amazonaws.com/v1/sms")

        def source_arns(function_name: str) -> list[str]:
            policy = json.loads(clients["lambda"].get_policy(FunctionName=function_name)["Policy"])
            return [s["Condition"]["ArnLike"]["AWS:SourceArn"] for s in policy["Statement"]]

        assert source_arns("ajo-sms-wired-send") == [f"{execution_arn}/*/POST/sms"]
        assert source_arns("ajo-sms-wired-authorizer") == [
            f"{execution_arn}/authorizers/{api['authorizer_id']}"
        ]

        gateway = clients["apigateway"]
        resource = next(
            r for r in gateway.get_resources(restApiId=api_id)["items"] if r["path"] == "/sms"
        )
        method = gateway.get_method(restApiId=api_id, resourceId=resource["id"], httpMethod="POST")
        assert method["authorizationType"] == "CUSTOM"
        assert method["authorizerId"] == api["authorizer_id"]
        stage = gateway.get_stage(restApiId=api_id, stageName="v1")
        assert "requestId" in json.loads(stage["accessLogSettings"]["format"])
    finally:
        try:
            root.tf.destroy(tf_vars=tf_vars)
        finally:
            root.cleanup()
