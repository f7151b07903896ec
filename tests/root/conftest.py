"""Plan the root module with arbitrary inputs.

Each case writes a tiny root (`main.tf.json`) next to this file that calls
the module with the given inputs and re-exports its outputs, then plans it
with the session's harness: once per run for the same inputs (the plan store).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import hcl2
import pytest
from harness.terraform import REPO

HERE = Path(__file__).parent


def root_outputs() -> dict[str, bool]:
    """Every output of the root module -> whether it is sensitive."""
    with (REPO / "outputs.tf").open() as handle:
        blocks = hcl2.load(handle).get("output", [])
    return {
        name.strip('"'): spec.get("sensitive") is True
        for block in blocks
        for name, spec in block.items()
    }


def new_case_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix=".case-", dir=HERE))


def module_root(inputs: dict) -> Path:
    """A root calling the module with `inputs` and re-exporting its outputs."""
    directory = new_case_dir()
    config = {
        "provider": {"aws": {"region": "us-east-1"}},
        "module": {"ajo_sms": {"source": "../../..", **inputs}},
        # One root output per module output: a wholly known one keeps its
        # value in the plan even where another is known only after apply.
        "output": {
            name: {"value": f"${{module.ajo_sms.{name}}}", "sensitive": sensitive}
            for name, sensitive in root_outputs().items()
        },
    }
    (directory / "main.tf.json").write_text(json.dumps(config, indent=2))
    return directory


def hcl_root(text: str) -> Path:
    """A root made of `text` (an example from the README, say)."""
    directory = new_case_dir()
    (directory / "main.tf").write_text('provider "aws" {\n  region = "us-east-1"\n}\n\n' + text)
    return directory


@pytest.fixture(scope="session")
def case_roots():
    """A root per distinct content (`maker(content)`, made once); removes them
    at the end of the session."""
    made: dict[str, Path] = {}

    def directory(maker, content) -> Path:
        key = f"{maker.__name__} {json.dumps(content, sort_keys=True)}"
        if key not in made:
            made[key] = maker(content)
        return made[key]

    yield directory
    for path in made.values():
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def plan_module(case_roots, plan_summary):
    """`plan_module(**inputs)` -> PlanSummary of the root module with those inputs."""
    return lambda **inputs: plan_summary(case_roots(module_root, inputs))


@pytest.fixture(scope="session")
def plan_module_error(case_roots, planned_root):
    """`plan_module_error(**inputs)` -> the error text of a plan that must fail."""
    return lambda **inputs: planned_root(case_roots(module_root, inputs)).plan_error()


@pytest.fixture(scope="session")
def plan_hcl(case_roots, plan_summary):
    """`plan_hcl(text)` -> PlanSummary of a root made of that HCL."""
    return lambda text: plan_summary(case_roots(hcl_root, text))
