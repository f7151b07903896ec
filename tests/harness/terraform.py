"""Plan a Terraform root offline and reduce the plan to a comparable summary.

Modelled on Cloud Foundation Fabric's `plan_summary`: the root is copied to a
sibling temp dir (so relative module sources still resolve and parallel plans
of one root do not share `.terraform`), planned with tftest, and reduced to
`values` (resource address -> attributes), `counts` (resource type -> number)
and `outputs`.
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import tftest

REPO = Path(__file__).resolve().parents[2]
SETUP_IAC = REPO / "scripts" / "setup-iac.sh"


def _setup_iac(flag: str) -> str:
    return subprocess.run(
        [str(SETUP_IAC), flag], check=True, capture_output=True, text=True
    ).stdout.strip()


def cli_binary() -> str:
    """$TERRAFORM, else the offline-built tofu, else tofu/terraform on PATH."""
    return _setup_iac("--which")


def cli_env(endpoint_url: str | None) -> dict[str, str]:
    """Environment for the CLI: fake credentials and every AWS API on moto.

    AWS_ENDPOINT_URL sends all of the provider's calls to the local moto
    server: credential validation, account-ID lookup, data sources and
    ephemeral resources opened during plan (aws_secretsmanager_random_password).
    """
    from harness.moto_server import FAKE_CREDENTIALS

    env = dict(FAKE_CREDENTIALS)
    env["TF_IN_AUTOMATION"] = "1"
    env["CHECKPOINT_DISABLE"] = "1"
    config = _setup_iac("--config")
    if config:
        env["TF_CLI_CONFIG_FILE"] = config
    if endpoint_url:
        env["AWS_ENDPOINT_URL"] = endpoint_url
    # Never let a developer's real profile or session leak into a test plan.
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        os.environ.pop(name, None)
    return env


@dataclass
class PlanSummary:
    values: dict[str, dict] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, object] = field(default_factory=dict)
    raw: dict = field(default_factory=dict)


def _walk(module: dict, values: dict, counts: collections.Counter) -> None:
    for resource in module.get("resources", []):
        if resource.get("mode") == "data":
            continue
        values[resource["address"]] = resource.get("values", {})
        counts[resource["type"]] += 1
        counts["resources"] += 1
    for child in module.get("child_modules", []):
        counts["modules"] += 1
        _walk(child, values, counts)


def summarize(plan: tftest.TerraformPlanOutput) -> PlanSummary:
    values: dict[str, dict] = {}
    counts: collections.Counter = collections.Counter()
    _walk(plan.planned_values.get("root_module", {}), values, counts)
    outputs = {
        name: output.get("value", "__unknown__")
        for name, output in plan.planned_values.get("outputs", {}).items()
    }
    return PlanSummary(values=values, counts=dict(counts), outputs=outputs, raw=plan._raw)


class PlannedRoot:
    """A copy of a Terraform root, initialised once, planned any number of times."""

    def __init__(self, root: Path, endpoint_url: str | None):
        self.source = root.resolve()
        self.tmp = Path(
            tempfile.mkdtemp(prefix=f".tmp-{self.source.name}-", dir=self.source.parent)
        )
        shutil.copytree(self.source, self.tmp, dirs_exist_ok=True, ignore=_ignore)
        self.tf = tftest.TerraformTest(
            str(self.tmp), binary=cli_binary(), env=cli_env(endpoint_url)
        )
        self.tf.setup(upgrade=True)

    def plan(self, tf_var_file: str | None = None, **tf_vars) -> PlanSummary:
        plan = self.tf.plan(output=True, tf_vars=tf_vars or None, tf_var_file=tf_var_file)
        return summarize(plan)

    def plan_error(self, tf_var_file: str | None = None, **tf_vars) -> str:
        """Run a plan that must fail; return its error text."""
        try:
            self.tf.plan(output=False, tf_vars=tf_vars or None, tf_var_file=tf_var_file)
        except tftest.TerraformTestError as error:
            return " ".join(str(part) for part in error.args)
        raise AssertionError("plan succeeded, expected a failure")

    def cleanup(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def _ignore(directory: str, names: list[str]) -> set[str]:
    return {n for n in names if n in {".terraform", "terraform.tfstate"} or n.startswith(".tmp-")}
