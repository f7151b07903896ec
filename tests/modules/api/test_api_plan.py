"""Plan tests of modules/api: the security properties of the front door."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from harness.terraform import REPO, flat

from .api_plan_helpers import module_config, unknown_after_plan

LOG_KEY = "arn:aws:kms:eu-west-1:123456789012:key/0b7a1e3c-1111-2222-3333-444455556666"

ROOT = "tests/modules/api/fixture"
HERE = Path(__file__).parent
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
A = "module.api."
REST_API = A + "aws_api_gateway_rest_api.this"
METHOD = A + "aws_api_gateway_method.post"
AUTHORIZER = A + "aws_api_gateway_authorizer.api_key"
INTEGRATION = A + "aws_api_gateway_integration.send"
MODEL = A + "aws_api_gateway_model.request"
VALIDATOR = A + "aws_api_gateway_request_validator.body"
DEPLOYMENT = A + "aws_api_gateway_deployment.this"
STAGE = A + "aws_api_gateway_stage.this"
SETTINGS = A + "aws_api_gateway_method_settings.all"
ACCESS_LOGS = A + "aws_cloudwatch_log_group.access"
SEND_PERMISSION = A + "aws_lambda_permission.send"
AUTHORIZER_PERMISSION = A + "aws_lambda_permission.authorizer"


def invoke_arn(name: str) -> str:
    return (
        "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
        f"arn:aws:lambda:eu-west-1:123456789012:function:{name}/invocations"
    )


def response(summary, kind: str) -> dict:
    return summary.values[f'{A}aws_api_gateway_gateway_response.this["{kind}"]']


def trigger(summary) -> str:
    value = summary.values[DEPLOYMENT]["triggers"]["redeployment"]
    assert re.fullmatch(r"[0-9a-f]{40}", value)  # known at plan time
    return value


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def default_plan(plan_case):
    return plan_case(HERE, "default")  # tftest.yaml checks it against default.yaml


def test_post_is_guarded_by_the_token_authorizer(default_plan):
    method = default_plan.values[METHOD]
    assert method["http_method"] == "POST"
    assert method["authorization"] == "CUSTOM"
    assert method["api_key_required"] is False  # the authorizer checks the key, not usage plans
    wiring = module_config(default_plan, "api", "aws_api_gateway_method.post")["expressions"]
    assert "aws_api_gateway_authorizer.api_key.id" in wiring["authorizer_id"]["references"]
    assert unknown_after_plan(default_plan, METHOD)["authorizer_id"] is True

    authorizer = default_plan.values[AUTHORIZER]
    assert authorizer["type"] == "TOKEN"
    assert authorizer["identity_source"] == "method.request.header.x-api-key"
    assert authorizer["identity_validation_expression"] == "^[!-~]{16,512}$"
    assert authorizer["authorizer_result_ttl_in_seconds"] == 300
    assert authorizer["authorizer_uri"] == invoke_arn("ajo-sms-authorizer")
    assert authorizer["authorizer_credentials"] is None  # invoked via a lambda permission


def test_body_is_validated_against_the_contract_model(default_plan):
    method = default_plan.values[METHOD]
    assert method["request_models"] == {"application/json": "SmsSendRequest"}
    wiring = module_config(default_plan, "api", "aws_api_gateway_method.post")["expressions"]
    assert (
        "aws_api_gateway_request_validator.body.id"
        in (wiring["request_validator_id"]["references"])
    )
    validator = default_plan.values[VALIDATOR]
    assert validator["validate_request_body"] is True
    schema = json.loads(default_plan.values[MODEL]["schema"])
    # A message, or (MMS) media, or both: the function's own rule (test_request_schema.py).
    assert schema["required"] == ["destinationNumber"]
    assert [alternative["required"] for alternative in schema["anyOf"]] == [
        ["message"],
        ["mediaUrls"],
        ["templateName"],
    ]
    assert schema == json.loads((REPO / "modules/api/request_schema.json").read_text())


def test_lambda_proxy_integration_to_the_send_function(default_plan):
    integration = default_plan.values[INTEGRATION]
    assert integration["type"] == "AWS_PROXY"
    assert integration["integration_http_method"] == "POST"
    assert integration["uri"] == invoke_arn("ajo-sms-send")


def test_lambda_permissions_are_scoped_to_this_api(default_plan):
    send = default_plan.values[SEND_PERMISSION]
    assert send["function_name"] == "ajo-sms-send"
    assert send["principal"] == "apigateway.amazonaws.com"
    assert send["action"] == "lambda:InvokeFunction"
    authorizer = default_plan.values[AUTHORIZER_PERMISSION]
    assert authorizer["function_name"] == "ajo-sms-authorizer"
    assert authorizer["principal"] == "apigateway.amazonaws.com"
    # The ARNs embed the API's ID, known only after apply (the e2e test
    # checks the literal values): here, that they are built from this API.
    for address, name in ((SEND_PERMISSION, "send"), (AUTHORIZER_PERMISSION, "authorizer")):
        assert unknown_after_plan(default_plan, address)["source_arn"] is True
        expression = module_config(default_plan, "api", f"aws_lambda_permission.{name}")
        references = expression["expressions"]["source_arn"]["references"]
        assert "aws_api_gateway_rest_api.this.execution_arn" in references
    # The authorizer may be invoked as this API's API-key authorizer only,
    # not as any authorizer someone adds to the API.
    expression = module_config(default_plan, "api", "aws_lambda_permission.authorizer")
    references = expression["expressions"]["source_arn"]["references"]
    assert "aws_api_gateway_authorizer.api_key.id" in references


def test_access_logs_are_json_without_body_or_key(default_plan):
    stage = default_plan.values[STAGE]
    (settings,) = stage["access_log_settings"]
    fields = json.loads(settings["format"])
    for required in (
        "requestId",
        "status",
        "responseLatency",
        "integrationLatency",
        "authorizerStatus",
        "authorizerLatency",
        "authorizerError",
        "ip",
        "resourcePath",
        "routeKey",
    ):
        assert required in fields, required
    assert fields["keyVersion"] == "$context.authorizer.keyVersion"
    for value in fields.values():
        assert value.startswith("$context.")
        assert "$input" not in value  # the body
        assert "header" not in value.lower()  # the API key travels in a header
        assert "apiKey" not in value
    group = default_plan.values[ACCESS_LOGS]
    assert group["name"] == "/aws/apigateway/ajo-sms-test/v1/access"
    assert group["retention_in_days"] == 30
    assert stage["stage_name"] == "v1"
    assert stage["xray_tracing_enabled"] is False
    assert default_plan.outputs["stage_name"] == "v1"
    assert default_plan.outputs["custom_domain_url"] is None


def test_stage_throttling_defaults_cover_ajo_floor(default_plan):
    (settings,) = default_plan.values[SETTINGS]["settings"]
    assert default_plan.values[SETTINGS]["method_path"] == "*/*"
    assert settings["throttling_rate_limit"] == 200
    assert settings["throttling_burst_limit"] == 400
    assert settings["metrics_enabled"] is True
    assert settings["logging_level"] == "OFF"
    assert settings["data_trace_enabled"] is False
    assert settings["caching_enabled"] is False


def test_gateway_errors_answer_in_the_contract_shape(default_plan):
    expected = {
        "UNAUTHORIZED": ("401", "REJECTED", "UNAUTHORIZED"),
        "ACCESS_DENIED": ("403", "REJECTED", "FORBIDDEN"),
        "WAF_FILTERED": ("403", "REJECTED", "FORBIDDEN"),
        "MISSING_AUTHENTICATION_TOKEN": ("404", "REJECTED", "NOT_FOUND"),
        "BAD_REQUEST_BODY": ("400", "REJECTED", "INVALID_REQUEST"),
        "THROTTLED": ("429", "RETRY", "THROTTLED"),
        # The authorizer raised anything but "Unauthorized" (key store down):
        # a 401 would be the one status AJO never retries.
        "AUTHORIZER_FAILURE": ("503", "RETRY", "UPSTREAM_UNAVAILABLE"),
        "AUTHORIZER_CONFIGURATION_ERROR": ("503", "RETRY", "UPSTREAM_UNAVAILABLE"),
        "INTEGRATION_TIMEOUT": ("504", "RETRY", "UPSTREAM_UNAVAILABLE"),
        "DEFAULT_4XX": (None, "REJECTED", "BAD_REQUEST"),
        "DEFAULT_5XX": (None, "RETRY", "UPSTREAM_ERROR"),
    }
    for kind, (status_code, status, code) in expected.items():
        planned = response(default_plan, kind)
        assert planned["status_code"] == status_code, kind
        assert planned["response_parameters"]["gatewayresponse.header.Content-Type"] == (
            "'application/json'"
        )
        template = planned["response_templates"]["application/json"]
        # What API Gateway renders: its variables replaced by their values.
        rendered = template.replace(
            "$context.error.messageString", json.dumps('Invalid "quoted" request body')
        ).replace("$context.requestId", "c0ffee00-1111-2222-3333-444455556666")
        body = json.loads(rendered)
        assert body["status"] == status, kind
        assert body["error"]["code"] == code, kind
        assert body["error"]["message"], kind
        assert body["requestId"] == "c0ffee00-1111-2222-3333-444455556666"
        if status_code in ("401", "403"):
            assert body["message"] in ("Unauthorized", "Forbidden")  # CONTRACT.md
    throttled = response(default_plan, "THROTTLED")
    assert throttled["response_parameters"]["gatewayresponse.header.Retry-After"] == "'1'"


def test_settings_flow_through(plan_summary):
    summary = plan_summary(
        ROOT,
        auth_header_name="X-AJO-Key",
        authorizer={"result_ttl_seconds": 60},
        throttling={"rate_limit": 500, "burst_limit": 1000},
        logging={
            "retention_days": 90,
            "kms_key_arn": LOG_KEY,
            "execution_level": "ERROR",
        },
        xray_tracing_enabled="true",
        path_part="send",
    )
    assert summary.values[AUTHORIZER]["identity_source"] == "method.request.header.X-AJO-Key"
    assert summary.values[AUTHORIZER]["authorizer_result_ttl_in_seconds"] == 60
    (settings,) = summary.values[SETTINGS]["settings"]
    assert (settings["throttling_rate_limit"], settings["throttling_burst_limit"]) == (500, 1000)
    assert settings["logging_level"] == "ERROR"
    assert settings["data_trace_enabled"] is False
    group = summary.values[ACCESS_LOGS]
    assert group["retention_in_days"] == 90
    assert group["kms_key_id"] == LOG_KEY
    assert summary.values[STAGE]["xray_tracing_enabled"] is True
    assert summary.values[A + "aws_api_gateway_resource.sms"]["path_part"] == "send"
    assert (
        "X-AJO-Key"
        in json.loads(response(summary, "UNAUTHORIZED")["response_templates"]["application/json"])[
            "error"
        ]["message"]
    )


def test_optional_network_controls_and_custom_domain(plan_summary):
    acl = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/ajo/0b7a1e3c"
    summary = plan_summary(
        ROOT,
        allowed_source_cidrs=["192.0.2.0/24", "198.51.100.7/32"],
        waf_web_acl_arn=acl,
        custom_domain={
            "domain_name": "sms.example.com",
            "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
            "base_path": "ajo",
        },
        manage_account_cloudwatch_role="true",
    )
    assert summary.counts["aws_api_gateway_rest_api_policy"] == 1
    assert summary.values[A + "aws_wafv2_web_acl_association.this[0]"]["web_acl_arn"] == acl
    domain = summary.values[A + "aws_api_gateway_domain_name.this[0]"]
    assert domain["security_policy"] == "TLS_1_2"
    assert domain["regional_certificate_arn"].startswith("arn:aws:acm:")
    assert domain["endpoint_configuration"][0]["types"] == ["REGIONAL"]
    mapping = summary.values[A + "aws_api_gateway_base_path_mapping.this[0]"]
    assert (mapping["base_path"], mapping["stage_name"]) == ("ajo", "v1")
    assert summary.outputs["custom_domain_url"] == "https://sms.example.com/ajo/sms"
    # Only the domain answers: its TLS policy cannot be bypassed.
    assert summary.values[REST_API]["disable_execute_api_endpoint"] is True
    # The account-wide CloudWatch role only on explicit opt-in.
    assert summary.counts["aws_api_gateway_account"] == 1
    role = json.loads(summary.values[A + "aws_iam_role.cloudwatch[0]"]["assume_role_policy"])
    (trust,) = role["Statement"]
    assert trust["Principal"] == {"Service": "apigateway.amazonaws.com"}
    # Confused-deputy guard: assumable by API Gateway for this account only.
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


def test_redeploy_trigger_tracks_the_api_definition(default_plan, plan_summary, planned_root):
    baseline = trigger(default_plan)
    assert trigger(planned_root(ROOT).plan()) == baseline  # stable: a second plan, not the store
    # Stage settings are not part of the snapshot: no redeployment.
    assert trigger(plan_summary(ROOT, throttling={"rate_limit": 300})) == baseline
    # The authorizer and routes are.
    assert trigger(plan_summary(ROOT, auth_header_name="x-ajo-key")) != baseline
    assert trigger(plan_summary(ROOT, allowed_source_cidrs=["192.0.2.0/24"])) != baseline
    # Disabling the execute-api endpoint takes effect only with a new deployment.
    domain = {"domain_name": "sms.example.com", "certificate_arn": CERTIFICATE}
    assert trigger(plan_summary(ROOT, custom_domain=domain)) != baseline


def test_redeploy_trigger_changes_when_the_model_changes(default_plan, planned_root, tmp_path):
    # A copy of the repository's layout with one edit to the request model.
    shutil.copytree(REPO / "modules/api", tmp_path / "modules/api")
    shutil.copytree(REPO / ROOT, tmp_path / ROOT)
    schema_file = tmp_path / "modules/api/request_schema.json"
    schema = json.loads(schema_file.read_text())
    schema["properties"]["idempotencyKey"]["maxLength"] = 128
    schema_file.write_text(json.dumps(schema))
    edited = planned_root(tmp_path / ROOT).plan()
    assert json.loads(edited.values[MODEL]["schema"])["properties"]["idempotencyKey"] == {
        "type": ["string", "null"],
        "minLength": 1,
        "maxLength": 128,
    }
    assert trigger(edited) != trigger(default_plan)


def test_deployment_is_replaced_before_it_is_destroyed():
    # create_before_destroy is configuration, not plan data: read the module.
    text = (REPO / "modules/api/stage.tf").read_text()
    block = text[text.index('resource "aws_api_gateway_deployment"') :]
    block = block[: block.index("\n}\n")]
    assert re.search(r"create_before_destroy\s*=\s*true", block)
    assert re.search(r"redeployment\s*=\s*sha1\(jsonencode\(local\.api_definition\)\)", block)


def test_throttle_below_ajo_floor_warns(planned_root):
    output = flat(
        planned_root(ROOT).tf.plan(output=False, tf_vars={"throttling": {"rate_limit": 50}})
    )
    assert "AJO's lowest configurable throttle" in output
    # The one rule: pace with queued delivery, never with the API throttle.
    assert "after AJO's 3 retries, are lost" in output
    assert "queued delivery" in output


def test_default_throttle_does_not_warn(planned_root):
    output = flat(planned_root(ROOT).tf.plan(output=False))
    assert "AJO's lowest configurable throttle" not in output


@pytest.mark.parametrize(
    ("tf_vars", "message"),
    [
        ({"auth_header_name": "x api key"}, "auth_header_name must be an HTTP header name"),
        ({"path_part": "a/b"}, "path_part must be one path segment"),
        ({"authorizer": {"result_ttl_seconds": 7200}}, "result_ttl_seconds must be a whole"),
        ({"logging": {"execution_level": "INFO"}}, 'execution_level must be "OFF" or "ERROR"'),
        ({"logging": {"retention_days": 10}}, "logging.retention_days must be a CloudWatch"),
        ({"throttling": {"rate_limit": 0}}, "throttling.rate_limit must be > 0"),
        ({"allowed_source_cidrs": ["10.0.0.300/8"]}, "allowed_source_cidrs must be CIDR"),
        ({"allowed_source_cidrs": ["0.0.0.0/0"]}, "must not contain 0.0.0.0/0 or ::/0"),
        ({"allowed_source_cidrs": ["192.0.2.0/24", "::/0"]}, "must not contain 0.0.0.0/0 or ::/0"),
        ({"allowed_source_cidrs": ["10.0.0.1/8"]}, "no host bits set"),
        ({"throttling": {"burst_limit": 400.5}}, "burst_limit a whole number >= 1"),
        ({"authorizer": {"result_ttl_seconds": 1.5}}, "result_ttl_seconds must be a whole"),
        ({"authorizer": {"result_ttl_seconds": -5}}, "result_ttl_seconds must be a whole"),
        ({"waf_web_acl_arn": "arn:aws:waf::1:webacl/x"}, "waf_web_acl_arn must be a regional"),
        (
            {
                "custom_domain": {
                    "domain_name": "sms.example.com",
                    "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
                    "security_policy": "TLS_1_0",
                }
            },
            "must allow TLS 1.2 or later only",
        ),
    ],
)
def test_invalid_inputs_are_refused_with_a_clear_message(planned_root, tf_vars, message):
    assert message in flat(planned_root(ROOT).plan_error(**tf_vars))
