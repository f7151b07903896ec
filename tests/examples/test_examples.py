"""Every example plans offline and matches its inventory (tests/examples/*.yaml)."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent
EXAMPLES = sorted(p.stem for p in HERE.glob("*.yaml"))


def test_every_example_has_an_inventory():
    # Hidden entries are other workers' plan copies (harness/iac.py: .tmp-<root>-*).
    examples = (HERE.parents[1] / "examples").iterdir()
    roots = sorted(p.name for p in examples if p.is_dir() and not p.name.startswith("."))
    assert roots == EXAMPLES


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES)
def test_example_plan(plan_inventory, example):
    plan_inventory(f"examples/{example}", HERE / f"{example}.yaml")
