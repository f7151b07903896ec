"""Session fixtures: a loopback moto server and the plan harness."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness.iac import cli_binary, cli_version
from harness.inventory import check_inventory
from harness.moto_server import moto_server
from harness.terraform import REPO, PlannedRoot
from hypothesis import settings

# No per-example deadline: on a shared 2-core machine (CI runs plan builds beside the
# unit tests) a 200 ms deadline fails on scheduling noise, not on the code. Speed is
# measured by `make bench` against floors, never by a timed test.
settings.register_profile("project", deadline=None)
settings.load_profile("project")


def pytest_report_header(config):
    # Which CLI planned and applied: the suites run under OpenTofu and Terraform.
    return f"iac cli: {cli_binary()} ({cli_version()}; TERRAFORM selects it)"


@pytest.fixture(scope="session")
def moto_endpoint():
    """One moto server per test session (per xdist worker), loopback only."""
    with moto_server() as url:
        yield url


@pytest.fixture(scope="session")
def planned_root(moto_endpoint):
    """Factory: `planned_root("examples/minimal")` -> an initialised PlannedRoot.

    Roots are initialised once per session and cleaned up at its end.
    """
    roots: dict[Path, PlannedRoot] = {}

    def factory(path: str | Path) -> PlannedRoot:
        root = (REPO / path).resolve()
        if root not in roots:
            roots[root] = PlannedRoot(root, moto_endpoint)
        return roots[root]

    yield factory
    for root in roots.values():
        root.cleanup()


@pytest.fixture(scope="session")
def plan_summary(planned_root):
    """`plan_summary(root, tf_var_file=None, **tf_vars)` -> PlanSummary."""

    def run(path: str | Path, tf_var_file: str | None = None, **tf_vars):
        return planned_root(path).plan(tf_var_file=tf_var_file, **tf_vars)

    return run


@pytest.fixture(scope="session")
def plan_inventory(plan_summary):
    """Plan a root and compare it with a YAML inventory; returns the summary."""

    def run(path: str | Path, inventory: str | Path | dict, tf_var_file=None, **tf_vars):
        summary = plan_summary(path, tf_var_file=tf_var_file, **tf_vars)
        if not isinstance(inventory, dict):
            inventory = REPO / inventory
        check_inventory(summary, inventory)
        return summary

    return run
