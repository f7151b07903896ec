"""Plan tests of the root module's front door: the API-key authorizer's inputs,
revocation, the custom domain and every numeric input of `api`, `api_key` and
`functions.authorizer` validated at plan time."""

from __future__ import annotations

import re

import pytest
from root.inputs import BASE, POOL

pytestmark = pytest.mark.slow
AUTHORIZER = "module.ajo_sms.module.authorizer_function.aws_lambda_function.this"
REST_API = "module.ajo_sms.module.api.aws_api_gateway_rest_api.this"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0b7a1e3c"
MULTI_REGION_KEY = "arn:aws:kms:us-east-1:123456789012:key/mrk-" + "0123456789abcdef" * 2


# A secret created in the same apply has an unknown ARN, which makes the
# whole environment map unknown at plan: these tests bring their own secret.
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ajo-key-AbCdEf"


def authorizer_env(summary) -> dict:
    return summary.values[AUTHORIZER]["environment"][0]["variables"]


def test_previous_key_is_accepted_by_default(plan_module):
    env = authorizer_env(plan_module(**BASE, api_key={"existing_secret_arn": SECRET}))
    assert env["API_KEY_ACCEPT_PREVIOUS"] == "true"
    assert env["API_KEY_CACHE_TTL_SECONDS"] == "300"


def test_revoking_the_previous_key_is_one_input(plan_module):
    summary = plan_module(**BASE, api_key={"existing_secret_arn": SECRET, "accept_previous": False})
    assert authorizer_env(summary)["API_KEY_ACCEPT_PREVIOUS"] == "false"


def test_custom_domain_closes_the_execute_api_endpoint(plan_hcl):
    summary = plan_hcl(f'''
module "ajo_sms" {{
  source = "../../.."
  name   = "ajo-sms"
  sms    = {{ origination_identities = {{ pool_arns = ["{POOL}"] }} }}
  delivery = {{ mps = 3 }}
  api = {{
    custom_domain = {{ domain_name = "sms.example.com", certificate_arn = "{CERTIFICATE}" }}
  }}
}}

output "api_endpoint_url" {{
  value = module.ajo_sms.api_endpoint_url
}}

output "api_custom_domain_target" {{
  value = module.ajo_sms.api_custom_domain_target
}}

output "api_custom_domain_zone_id" {{
  value = module.ajo_sms.api_custom_domain_zone_id
}}
''')
    assert summary.values[REST_API]["disable_execute_api_endpoint"] is True
    assert summary.outputs["api_endpoint_url"] == "https://sms.example.com/sms"
    # The Route 53 alias target: the domain's regional name and zone, known after apply.
    for name in ("api_custom_domain_target", "api_custom_domain_zone_id"):
        assert summary.outputs[name] == "__unknown__", name
    change = next(
        c["change"]
        for c in summary.raw["resource_changes"]
        if c["address"] == "module.ajo_sms.module.api.aws_api_gateway_domain_name.this[0]"
    )
    assert change["after_unknown"]["regional_domain_name"] is True
    assert change["after_unknown"]["regional_zone_id"] is True


def test_without_a_custom_domain_the_dns_target_is_null(plan_hcl):
    summary = plan_hcl(f'''
module "ajo_sms" {{
  source = "../../.."
  name   = "ajo-sms"
  sms    = {{ origination_identities = {{ pool_arns = ["{POOL}"] }} }}
  delivery = {{ mps = 3 }}
}}

output "api_custom_domain_target" {{
  value = module.ajo_sms.api_custom_domain_target
}}
''')
    assert summary.values[REST_API]["disable_execute_api_endpoint"] is False
    assert summary.outputs["api_custom_domain_target"] is None


def test_complete_example_keeps_the_throttle_at_ajos_floor(planned_root):
    # The module's own check (modules/api/stage.tf) must not fire on the
    # example that shows every option.
    output = re.sub(r"[│\s]+", " ", planned_root("examples/complete").tf.plan(output=False))
    assert "throttling_covers_ajo_floor" not in output
    assert "AJO's lowest configurable throttle" not in output


AUTHORIZER_INPUTS = [
    ({"key_cache_seconds": -5}, "functions.authorizer.key_cache_seconds must be a whole number"),
    ({"key_cache_seconds": 1.5}, "functions.authorizer.key_cache_seconds must be a whole number"),
    ({"key_cache_seconds": 99999}, "functions.authorizer.key_cache_seconds must be a whole number"),
    ({"memory_size": 64}, "functions.authorizer.memory_size must be a whole number of MB"),
    ({"memory_size": 256.5}, "functions.authorizer.memory_size must be a whole number of MB"),
    ({"timeout": 2}, "functions.authorizer.timeout must be a whole number of seconds, 3-29"),
    ({"timeout": 30}, "functions.authorizer.timeout must be a whole number of seconds, 3-29"),
    ({"timeout": 4.5}, "functions.authorizer.timeout must be a whole number of seconds, 3-29"),
    ({"reserved_concurrency": 0}, "functions.authorizer.reserved_concurrency must be null"),
    ({"reserved_concurrency": 2.5}, "functions.authorizer.reserved_concurrency must be null"),
]
API_INPUTS = [
    ({"throttling_rate_limit": 0}, "api.throttling_rate_limit must be positive"),
    ({"throttling_rate_limit": -1}, "api.throttling_rate_limit must be positive"),
    ({"throttling_burst_limit": 400.5}, "api.throttling_burst_limit must be a whole number"),
    ({"authorizer_cache_ttl_seconds": -1}, "api.authorizer_cache_ttl_seconds must be a whole"),
    ({"authorizer_cache_ttl_seconds": 3601}, "api.authorizer_cache_ttl_seconds must be a whole"),
    ({"authorizer_cache_ttl_seconds": 1.5}, "api.authorizer_cache_ttl_seconds must be a whole"),
    ({"log_retention_days": 10}, "api.log_retention_days must be a CloudWatch Logs retention"),
    ({"log_retention_days": 30.5}, "api.log_retention_days must be a CloudWatch Logs retention"),
    ({"allowed_source_cidrs": ["0.0.0.0/0"]}, "must not contain 0.0.0.0/0 or ::/0"),
    ({"allowed_source_cidrs": ["::/0"]}, "must not contain 0.0.0.0/0 or ::/0"),
    ({"allowed_source_cidrs": ["10.0.0.1/8"]}, "api.allowed_source_cidrs must be CIDR blocks"),
    ({"allowed_source_cidrs": ["192.0.2.0"]}, "api.allowed_source_cidrs must be CIDR blocks"),
]
API_KEY_INPUTS = [
    ({"kms_key_arn": "alias/ajo-sms"}, "api_key.kms_key_arn must be a KMS key ARN"),
    (
        {"kms_key_arn": "arn:aws:kms:us-east-1:123456789012:alias/ajo-sms"},
        "api_key.kms_key_arn must be a KMS key ARN",
    ),
    ({"recovery_window_in_days": 7.5}, "api_key.recovery_window_in_days must be 0"),
]


@pytest.mark.parametrize(
    ("inputs", "message"),
    [({"functions": {"authorizer": i}}, m) for i, m in AUTHORIZER_INPUTS]
    + [({"api": i}, m) for i, m in API_INPUTS]
    + [({"api_key": i}, m) for i, m in API_KEY_INPUTS],
)
def test_bad_front_door_inputs_fail_at_plan_time(plan_module_error, inputs, message):
    error = plan_module_error(**{**BASE, **inputs})
    assert message in " ".join(error.split())


@pytest.mark.parametrize(
    "inputs",
    [
        {"functions": {"authorizer": {"key_cache_seconds": 0, "timeout": 3, "memory_size": 128}}},
        {"functions": {"authorizer": {"key_cache_seconds": 3600, "reserved_concurrency": 1}}},
        {"api": {"allowed_source_cidrs": ["203.0.113.0/24", "198.51.100.7/32", "2001:db8::/32"]}},
        {"api_key": {"kms_key_arn": MULTI_REGION_KEY}},
        {"api": {"log_retention_days": 0, "authorizer_cache_ttl_seconds": 0}},
    ],
)
def test_edge_values_still_plan(plan_module, inputs):
    assert plan_module(**{**BASE, **inputs}).counts["aws_lambda_function"] >= 2
