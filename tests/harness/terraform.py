"""Plan a Terraform root offline and reduce the plan to a comparable summary.

Modelled on Cloud Foundation Fabric's `plan_summary`: the root is copied to a
sibling temp dir (so relative module sources still resolve and parallel plans
of one root do not share `.terraform`), planned with tftest, and reduced to
`values` (resource address -> attributes), `counts` (resource type -> number)
and `outputs`.
"""

from __future__ import annotations

import collections
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import tftest
from harness.iac import REPO, cli_binary, cli_env, sibling_copy

__all__ = ["REPO", "PlanSummary", "PlannedRoot", "summarize"]


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
    # output_changes keeps the known parts of partly unknown outputs (an
    # object holding the API's URL, say); unknown leaves read "__unknown__".
    outputs = {
        name: _merge_unknown(change.get("after"), change.get("after_unknown"))
        for name, change in plan._raw.get("output_changes", {}).items()
    }
    return PlanSummary(values=values, counts=dict(counts), outputs=outputs, raw=plan._raw)


def _merge_unknown(after, unknown):
    if unknown is True:
        return "__unknown__"
    if isinstance(after, dict) and isinstance(unknown, dict):
        keys = set(after) | set(unknown)
        return {k: _merge_unknown(after.get(k), unknown.get(k)) for k in keys}
    if isinstance(after, list) and isinstance(unknown, list):
        return [_merge_unknown(a, u) for a, u in zip(after, unknown, strict=False)]
    return after


class PlannedRoot:
    """A copy of a Terraform root, initialised once, planned any number of times."""

    def __init__(self, root: Path, endpoint_url: str | None):
        self.source = root.resolve()
        self.tmp = sibling_copy(self.source)
        env = cli_env(endpoint_url)
        self.tf = tftest.TerraformTest(str(self.tmp), binary=cli_binary(), env=env)
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


def statements(policy: str) -> dict[str, dict]:
    """A planned policy document's statements by Sid."""
    return {s.get("Sid", ""): s for s in json.loads(policy)["Statement"]}


def flat(error: str) -> str:
    """A CLI error on one line, without the box drawing around it."""
    return re.sub(r"[│\s]+", " ", error)
