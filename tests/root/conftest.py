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
    "sms_configuration_set_name", "events_bucket_name", "delivery_redrive_command",
    "delivery_table_name", "delivery_dispatch_function_name",
]  # fmt: skip


def new_case_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix=".case-", dir=HERE))


def module_root(inputs: dict) -> Path:
    """A root calling the module with `inputs` and re-exporting its outputs."""
    directory = new_case_dir()
    config = {
        "provider": {"aws": {"region": "us-east-1"}},
        "module": {"ajo_sms": {"source": "../../..", **inputs}},
        "output": {name: {"value": f"${{module.ajo_sms.{name}}}"} for name in OUTPUTS},
    }
    (directory / "main.tf.json").write_text(json.dumps(config, indent=2))
    return directory


def hcl_root(text: str) -> Path:
    """A root made of `text` (an example from the README, say)."""
    directory = new_case_dir()
    (directory / "main.tf").write_text('provider "aws" {\n  region = "us-east-1"\n}\n\n' + text)
    return directory


@pytest.fixture(scope="session")
def case_roots(planned_root):
    """Plans roots written by a maker; removes them at the end of the session."""
    made: list[Path] = []

    def planned(maker, content):
        directory = maker(content)
        made.append(directory)
        return planned_root(directory)

    yield planned
    for directory in made:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def plan_module(case_roots):
    """`plan_module(**inputs)` -> PlanSummary of the root module with those inputs."""
    return lambda **inputs: case_roots(module_root, inputs).plan()


@pytest.fixture(scope="session")
def plan_module_error(case_roots):
    """`plan_module_error(**inputs)` -> the error text of a plan that must fail."""
    return lambda **inputs: case_roots(module_root, inputs).plan_error()


@pytest.fixture(scope="session")
def plan_hcl(case_roots):
    """`plan_hcl(text)` -> PlanSummary of a root made of that HCL."""
    return lambda text: case_roots(hcl_root, text).plan()
