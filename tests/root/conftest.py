"""Plan the root module with arbitrary inputs.

Each case writes a tiny root (`main.tf.json`) next to this file that calls
the module with the given inputs and re-exports its outputs, then plans it
with the session's harness.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).parent
OUTPUTS = [
    "api_endpoint_url", "auth_header_name", "api_key_secret_arn", "ajo_custom_action",
    "ajo_custom_action_json", "send_function_name", "idempotency_table_name",
    "sms_configuration_set_name", "events_bucket_name",
]  # fmt: skip


def write_root(inputs: dict) -> Path:
    directory = Path(tempfile.mkdtemp(prefix=".case-", dir=HERE))
    config = {
        "provider": {"aws": {"region": "us-east-1"}},
        "module": {"ajo_sms": {"source": "../../..", **inputs}},
        "output": {name: {"value": f"${{module.ajo_sms.{name}}}"} for name in OUTPUTS},
    }
    (directory / "main.tf.json").write_text(json.dumps(config, indent=2))
    return directory


def write_hcl_root(text: str) -> Path:
    directory = Path(tempfile.mkdtemp(prefix=".case-", dir=HERE))
    (directory / "main.tf").write_text('provider "aws" {\n  region = "us-east-1"\n}\n\n' + text)
    return directory


@pytest.fixture(scope="session")
def plan_hcl(planned_root):
    """`plan_hcl(text)` -> PlanSummary of a root made of that HCL."""
    made: list[Path] = []

    def plan(text: str):
        directory = write_hcl_root(text)
        made.append(directory)
        return planned_root(directory).plan()

    yield plan
    for directory in made:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def plan_module(planned_root):
    """`plan_module(**inputs)` -> PlanSummary of the root module with those inputs."""
    made: list[Path] = []

    def plan(**inputs):
        directory = write_root(inputs)
        made.append(directory)
        return planned_root(directory).plan()

    yield plan
    for directory in made:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def plan_module_error(planned_root):
    """`plan_module_error(**inputs)` -> the error text of a plan that must fail."""
    made: list[Path] = []

    def plan(**inputs):
        directory = write_root(inputs)
        made.append(directory)
        return planned_root(directory).plan_error()

    yield plan
    for directory in made:
        shutil.rmtree(directory, ignore_errors=True)
