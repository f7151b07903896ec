"""Session fixtures: a loopback moto server and the plan harness."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness.iac import cli_binary, cli_version
from harness.inventory import check_inventory
from harness.moto_server import moto_server
from harness.plan_store import PlanStore, run_directory
from harness.terraform import REPO, PlannedRoot
from harness.tftest_cases import cases, plan_of
from harness.tftest_cases import pytest_collect_file as pytest_collect_file  # tftest.yaml cases
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


def _plan_store(config) -> PlanStore:
    basetemp = config._tmp_path_factory.getbasetemp()
    return PlanStore(run_directory(basetemp) / "plans", cli_binary())


@pytest.fixture(scope="session")
def plan_summary(planned_root, pytestconfig):
    """`plan_summary(root, tf_var_file=None, **tf_vars)` -> PlanSummary.

    Each configuration is planned once per run (harness/plan_store.py); the
    root is initialised only when it has something left to plan.
    """
    store = _plan_store(pytestconfig)

    def run(path: str | Path, tf_var_file: str | list[str] | None = None, **tf_vars):
        root = (REPO / path).resolve()
        var_files = [tf_var_file] if isinstance(tf_var_file, str) else tf_var_file or []
        return store.summary(
            store.key(root, [Path(f) for f in var_files], tf_vars),
            lambda: planned_root(root).plan(tf_var_file=tf_var_file, **tf_vars),
            label=f"{root.name} {' '.join(Path(f).name for f in var_files)} {sorted(tf_vars)}",
        )

    return run


@pytest.fixture(scope="session")
def plan_case(plan_summary):
    """`plan_case(directory, case)` -> the PlanSummary of a tftest.yaml case."""
    return lambda directory, case: plan_of(plan_summary, cases(Path(directory))[case])


def pytest_terminal_summary(terminalreporter, config):
    counts = _plan_store(config).counts()
    if any(counts.values()):
        terminalreporter.write_line(
            f"plans: {counts['planned']} planned, {counts['reused']} reused from the plan store"
        )


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
