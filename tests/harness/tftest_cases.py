"""Declarative plan tests, Cloud Foundation Fabric's way: a `tftest.yaml`
beside the tests names a root and its cases,

    module: tests/modules/delivery/fixture   # the root to plan, from the repo
    tests:
      default:                  # plans <case>.tfvars if present, checks <case>.yaml
      kms:
        tfvars: [kms.tfvars]    # or name them (paths beside tftest.yaml)
        inventory: [kms.yaml]
        module: examples/kms    # a case may plan another root

and each case becomes one test item that plans it and compares the plan with
its inventories (harness.inventory). Python tests that assert more of a case
ask `plan_case(directory, case)` for the same plan; the plan store plans it
once for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from harness import REPO
from harness.inventory import check_inventory

SPEC = "tftest.yaml"


@dataclass(frozen=True)
class Case:
    root: Path
    tfvars: tuple[Path, ...]
    inventories: tuple[Path, ...]


def cases(directory: Path) -> dict[str, Case]:
    """The cases of `directory/tftest.yaml`, by name."""
    spec = yaml.safe_load((directory / SPEC).read_text())
    found = {}
    for name, options in (spec.get("tests") or {}).items():
        options = options or {}
        root = REPO / options.get("module", spec.get("module"))
        tfvars = options.get("tfvars")
        if tfvars is None:
            tfvars = [f"{name}.tfvars"] if (directory / f"{name}.tfvars").exists() else []
        inventories = options.get("inventory", [f"{name}.yaml"])
        found[name] = Case(
            root=root,
            tfvars=tuple(directory / f for f in tfvars),
            inventories=tuple(directory / f for f in inventories),
        )
        for path in found[name].tfvars + found[name].inventories:
            if not path.exists():
                raise FileNotFoundError(f"{directory / SPEC}: case {name}: no {path.name}")
    return found


def plan_of(plan_summary, case: Case):
    return plan_summary(case.root, tf_var_file=[str(p) for p in case.tfvars] or None)


def _checker(case: Case):
    def check_case(plan_summary) -> None:
        summary = plan_of(plan_summary, case)
        for inventory in case.inventories:
            check_inventory(summary, inventory)

    return check_case


class TftestFile(pytest.File):
    def collect(self):
        for name, case in cases(self.path.parent).items():
            item = pytest.Function.from_parent(self, name=name, callobj=_checker(case))
            item.add_marker(pytest.mark.slow)
            yield item


def pytest_collect_file(file_path: Path, parent):
    if file_path.name == SPEC:
        return TftestFile.from_parent(parent, path=file_path)
    return None
