"""Plan tests of the AEP forwarder's Terraform (modules/event_export/aep_forwarder.tf):
bounded SQS concurrency, the inlet host kept on Adobe's domain unless one other
host is named, and the environment the function reads (functions/event_forwarder)."""

from __future__ import annotations

import pytest
from modules.event_export.test_event_export_plan import AEP, AEP_FUNCTION, ROOT, SECRET, M

pytestmark = pytest.mark.slow
MAPPING = f'{M}.module.forwarder_queue[0].aws_lambda_event_source_mapping.this["notifications"]'


@pytest.fixture(scope="module")
def aep(forwarder_zip) -> dict:
    path, _ = forwarder_zip
    return {**AEP, "package": {"filename": path}, "secret_arn": SECRET}  # environment known at plan


def test_sqs_concurrency_is_bounded_and_the_state_prefixes_reach_the_function(plan_summary, aep):
    summary = plan_summary(ROOT, aep_forwarding={**aep, "sqs_maximum_concurrency": 3})
    assert summary.values[MAPPING]["scaling_config"] == [{"maximum_concurrency": 3}]
    env = summary.values[AEP_FUNCTION]["environment"][0]["variables"]
    assert env["UNKNOWN_PREFIX"] == "aep-forwarder/unknown/"
    assert env["REJECTED_PREFIX"] == "aep-forwarder/rejected/"
    assert "AEP_INLET_ALLOWED_HOST" not in env  # Adobe's domain only


def test_an_explicitly_allowed_inlet_host_is_planned_and_passed_on(plan_summary, aep):
    proxy = {
        **aep,
        "inlet_url": "https://aep-proxy.acme.example:8443/collection/batch/0123456789abcdef",
        "inlet_allowed_host": "aep-proxy.acme.example",
    }
    summary = plan_summary(ROOT, aep_forwarding=proxy)
    env = summary.values[AEP_FUNCTION]["environment"][0]["variables"]
    assert env["AEP_INLET_URL"] == proxy["inlet_url"]
    assert env["AEP_INLET_ALLOWED_HOST"] == "aep-proxy.acme.example"
    assert summary.values[MAPPING]["scaling_config"] == [{"maximum_concurrency": 5}]


INVALID = {
    "host-not-adobe": (
        {"inlet_url": "https://collector.example.com/collection/batch/x"},
        "adobedc.net",
    ),
    "host-lookalike": ({"inlet_url": "https://dcs.adobedc.net.example.com/x"}, "adobedc.net"),
    "host-userinfo": ({"inlet_url": "https://dcs.adobedc.net@example.com/x"}, "adobedc.net"),
    "host-other-than-allowed": (
        {"inlet_url": "https://a.example.com/x", "inlet_allowed_host": "b.example.com"},
        "inlet_allowed_host",
    ),
    "host-like-the-allowed-one": (
        {"inlet_url": "https://proxyxacme.example/x", "inlet_allowed_host": "proxy.acme.example"},
        "inlet_allowed_host",
    ),
    "allowed-host-with-scheme": (
        {"inlet_allowed_host": "https://b.example.com"},
        "must be a host name",
    ),
    "concurrency-below-2": ({"sqs_maximum_concurrency": 1}, "2-1000"),
    "concurrency-above-1000": ({"sqs_maximum_concurrency": 1001}, "2-1000"),
    "concurrency-fraction": ({"sqs_maximum_concurrency": 2.5}, "2-1000"),
}


@pytest.mark.parametrize(("change", "message"), INVALID.values(), ids=INVALID.keys())
def test_invalid_forwarder_inputs_fail_at_plan(planned_root, change, message):
    aep = {**AEP, "package": {"filename": "f.zip"}, **change}
    error = planned_root(ROOT).plan_error(aep_forwarding=aep)
    assert "Invalid value for variable" in error
    assert message in " ".join(error.split()), error[-2000:]
